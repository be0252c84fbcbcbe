package dev.lamina.store;

/** A call reached a store (or an iterator or snapshot of it) after it was closed. */
public class StoreClosedException extends LaminaException {
    public StoreClosedException(String message) {
        super(message);
    }
}

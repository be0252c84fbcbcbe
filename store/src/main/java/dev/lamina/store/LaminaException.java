package dev.lamina.store;

/** Base class of every exception the engine throws on purpose. Unchecked, as Kafka's store exceptions are. */
public class LaminaException extends RuntimeException {
    public LaminaException(String message) {
        super(message);
    }

    public LaminaException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.lamina.store.engine;

/** Turns a stored entry into the user's value: inline values as they are; value-log pointers read from the log. */
@FunctionalInterface
interface ValueResolver {
    /** {@code internalKey} is a VALUE or POINTER entry; returns the value bytes (a fresh array or an unshared one). */
    byte[] resolve(byte[] internalKey, byte[] stored);
}

package dev.lamina.store.fault;

import dev.lamina.store.LaminaIOException;

/** What a clean failure looks like to the fault tests. */
final class FaultAssertions {
    private FaultAssertions() {
    }

    /**
     * A failure is clean when it is a {@link LaminaIOException} with a message, and the fault that caused it (whose
     * message contains {@code marker}) is the exception itself or in its cause chain, so that an operator can see
     * what broke.
     */
    static void assertClean(Throwable failure, String marker, String what) {
        if (!(failure instanceof LaminaIOException) || failure.getMessage() == null) {
            throw new AssertionError(what + ": expected a LaminaIOException, got " + failure, failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(marker)) {
                return;
            }
        }
        throw new AssertionError(what + ": the failure does not say what broke (no '" + marker + "' in its causes)",
                failure);
    }
}

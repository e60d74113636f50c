package io.eventthread;

/**
 * Thrown, or used to fail a future, when a {@code LoopQueue} or {@code ThreadInbox} (package
 * {@code io.eventthread.bridge}) is used after {@code close()}, or after the group of its loop
 * terminated. It is an {@link IllegalStateException}: the object is no longer in a state to do
 * what was asked.
 */
public class ClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was closed, and what the caller asked of it
     */
    public ClosedException(String message) {
        super(message);
    }

    /**
     * @param message what was closed, and what the caller asked of it
     * @param cause the failure seen on the loop side
     */
    public ClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}

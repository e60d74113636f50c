package io.eventthread;

/**
 * Thrown, or used to fail a future, when a {@link LoopQueue} or {@link ThreadInbox} is used after
 * {@code close()}, or after the group of its loop terminated. It is an
 * {@link IllegalStateException}: the object is no longer in a state to do what was asked.
 */
public class ClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ClosedException(String message) {
        super(message);
    }

    ClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}

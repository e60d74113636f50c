package io.eventthread;

/**
 * Thrown when a call that would block is made on an event-loop thread, where it could only
 * deadlock: the loop is the thread that would have to complete what the call waits for (Netty's
 * {@code BlockingOperationException}). Every such guard in the library throws this, with one
 * wording: the call, the loop thread, and what to do instead. It is an
 * {@link IllegalStateException}: the calling thread is in no state to wait.
 */
public class BlockingOperationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a refused call.
     * @param operation the refused call, for example {@code "LoopQueue.take()"}
     * @param loopName the name of the loop thread it was made on
     * @param instead what to do instead, as an imperative sentence
     */
    public BlockingOperationException(String operation, String loopName, String instead) {
        super(operation + " called on loop thread '" + loopName + "' would block the loop: it would deadlock, "
                + "since only this thread can complete what it waits for. " + instead);
    }
}

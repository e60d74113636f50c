package io.eventthread.internal;

/**
 * {@code newFuture()}: completed by the caller, cancelled if still incomplete at termination. A
 * promise is not a task: it is never queued and has nothing to run.
 */
final class Promise<T> extends OwnedFuture<T> {

    Promise(TaskOwner owner) {
        super(owner, true);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        completeCancelled();
        return isCancelled();
    }
}

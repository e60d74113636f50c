package io.eventthread.internal;

import java.util.concurrent.CompletableFuture;

/**
 * What a task needs of the loop that runs it: its clock, the bookkeeping of a start and a
 * failure, the way back onto the loop for a completion, and the in-flight registry. Tasks depend
 * on this, never on the loop classes.
 */
interface TaskOwner extends FutureOwner {

    /** @return the loop clock's time */
    long time();

    /** @return the loop's timers */
    Timers timers();

    /** In debug mode, records where {@code task} is being submitted, for its slow-callback report. */
    void traceOrigin(TaskFuture<?> task);

    /** A task with a future starts on the loop; {@code dueAt} is its enqueue time or deadline. */
    void taskStarted(TaskFuture<?> task, long dueAt);

    /** A task's code threw: in its callback on the loop, or in its work (blocking or asynchronous). */
    void taskFailed(TaskFuture<?> task, Throwable failure, boolean inCallback);

    /** Queues a completion of work the loop owns; after termination runs its termination contract. */
    void executeInternal(InternalTask task);

    /**
     * Queues work the loop already owns; {@code false}, uncounted, if the loop does not take it.
     * @param entry an engine entry
     * @return whether it was queued
     */
    boolean offerOwned(Runnable entry);

    @Override
    default <T> void completeOnLoop(CompletableFuture<T> future, T value, Throwable failure) {
        LoopCompletion.complete(this, future, value, failure);
    }

    /** A tracked future completed, by whatever path: it leaves the in-flight registry. */
    void untrack(OwnedFuture<?> future);
}

package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a {@link io.eventthread.LoopFuture} needs of its loop: its identity, the executor of its
 * {@code *Async} continuations, the way back onto the loop, and the brief spin of a waiting thread. Nothing of the loop's
 * machinery.
 */
interface FutureOwner {

    /** @return the loop, as the API shows it */
    EventLoop loop();

    /** @return the loop thread's name */
    String name();

    /** @return whether the calling thread is the loop thread */
    boolean inEventLoop();

    /** @return the executor behind {@code LoopFuture.defaultExecutor()} */
    Executor continuationExecutor();

    /**
     * {@code LoopFuture.completeOnLoop}: completes {@code future} on the loop thread, as the
     * loop's own work; see {@code LoopCompletion}.
     * @param future the future to complete
     * @param value its value, if {@code failure} is {@code null}
     * @param failure its failure, or {@code null}
     * @param <T> the value type
     */
    <T> void completeOnLoop(CompletableFuture<T> future, T value, Throwable failure);

    /**
     * Spins for the loop's idle-spin budget or until {@code future} is done, before a waiter parks.
     * @param future the awaited future
     */
    void spinUntilDone(CompletableFuture<?> future);
}

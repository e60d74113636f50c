package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a {@link io.eventthread.LoopFuture} needs of its loop: its identity, the executor of its
 * {@code *Async} continuations, and the brief spin of a waiting thread. Nothing of the loop's
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
     * Spins for the loop's idle-spin budget or until {@code future} is done, before a waiter parks.
     * @param future the awaited future
     */
    void spinUntilDone(CompletableFuture<?> future);
}

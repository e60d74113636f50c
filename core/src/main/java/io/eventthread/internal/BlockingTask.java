package io.eventthread.internal;

import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code runBlocking}: runs on the blocking pool, completes on the loop, tracked in flight until
 * then. Not a queue entry: the pool runs it, and its completion reaches the loop as an internal
 * task.
 */
final class BlockingTask<T> extends TaskFuture<T> {

    private Thread runner;
    private boolean finished;
    private final DecoratedCompletion<T> inContext;

    /** Call on the submitting thread; {@code decorator} is the group's, or {@code null}. */
    BlockingTask(TaskOwner owner, Callable<T> callable, UnaryOperator<Runnable> decorator) {
        super(owner, callable, owner.time(), true);
        this.inContext = decorator == null ? null : new DecoratedCompletion<>(this, decorator);
    }

    /**
     * Runs on a blocking-pool thread. The runner is published before the claim, as
     * {@link java.util.concurrent.FutureTask} does: a cancel that wins after the claim then
     * always finds the thread to interrupt.
     */
    @Override
    public void run() {
        synchronized (this) {
            runner = Thread.currentThread();
        }
        if (!claim(STARTED)) {
            // cancelled first: the work never starts. A cancel may have interrupted us before we
            // unpublish; after the monitor no more can come, so clear it for the pool's next task.
            synchronized (this) {
                runner = null;
            }
            Thread.interrupted();
            return;
        }
        T value = null;
        Throwable failure = null;
        try {
            value = callable.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (this) {
                runner = null;
                finished = true;
            }
            // an interrupt from a cancel that raced with the end of the call must not leak
            // into the next task of this pool thread
            Thread.interrupted();
        }
        completeOnLoop(value, failure);
    }

    @Override
    DecoratedCompletion<T> completionInContext() {
        return inContext;
    }

    @Override
    public boolean cancel() {
        return cancel(true);
    }

    @Override
    synchronized void cancelWork() {
        if (runner != null && !finished) {
            runner.interrupt();
        }
    }
}

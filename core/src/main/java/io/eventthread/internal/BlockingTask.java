package io.eventthread.internal;

import java.util.concurrent.Callable;

/**
 * {@code runBlocking}: runs on the blocking pool, completes on the loop, tracked in flight until
 * then. Not a queue entry: the pool runs it, and its completion reaches the loop as an internal
 * task.
 */
final class BlockingTask<T> extends TaskFuture<T> {

    private Thread runner;
    private boolean finished;

    BlockingTask(TaskOwner owner, Callable<T> callable) {
        super(owner, callable, owner.time(), true);
    }

    /** Runs on a blocking-pool thread. */
    @Override
    public void run() {
        if (!claim(STARTED)) {
            return;
        }
        synchronized (this) {
            runner = Thread.currentThread();
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

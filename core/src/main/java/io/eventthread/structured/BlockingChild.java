package io.eventthread.structured;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking task that says when its thread has left it: a cancelled blocking child's future
 * is done at once, but the group waits for the thread, as {@code StructuredTaskScope} does.
 */
final class BlockingChild<T> implements Callable<T> {
    private static final int NEW = 0, RUNNING = 1, OVER = 2;
    private final Callable<T> task;
    private final AtomicInteger phase = new AtomicInteger();
    /** Completed with what the task threw (null if nothing) once no thread is in it. */
    final CompletableFuture<Throwable> exited = new CompletableFuture<>();

    BlockingChild(Callable<T> task) {
        this.task = task;
    }

    @Override
    public T call() throws Exception {
        if (!phase.compareAndSet(NEW, RUNNING)) {
            throw new CancellationException("blocking child cancelled before it started");
        }
        Throwable thrown = null;
        try {
            return task.call();
        } catch (Throwable t) {
            thrown = t;
            throw t;
        } finally {
            phase.set(OVER);
            exited.complete(thrown);
        }
    }

    /** The child's future is done: if the task never started, it never will. */
    void futureDone() {
        if (phase.compareAndSet(NEW, OVER)) {
            exited.complete(null);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}

package io.eventthread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableFuture;

/**
 * A task with a future: what {@code submit}, {@code callSoon} and the timers queue. The task is its
 * own future and its own queue entry, so a submission allocates this one object.
 *
 * <p>A task is claimed exactly once, by running or by cancelling, so cancelled work never starts
 * and no task runs twice. Cancelling a running task completes its future as cancelled (as
 * {@link java.util.concurrent.FutureTask} does); the running code is not interrupted.
 */
class LoopTask<T> extends LoopFuture<T> implements RunnableFuture<T>, LoopHandle {

    static final int NEW = 0;
    static final int STARTED = 1;
    static final int CANCELLED = 2;

    private static final VarHandle CLAIM;

    static {
        try {
            CLAIM = MethodHandles.lookup().findVarHandle(LoopTask.class, "claim", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SingleThreadEventLoop owner;
    final Callable<T> callable;
    /** Loop time at submission; the delay of a queued task is measured from it. */
    final long enqueuedAt;
    /** Where the task was submitted, in debug mode only. */
    final Throwable submittedAt;
    private volatile int claim;
    /** A handle's callback reports failures to the uncaught-exception handler, like execute(). */
    private boolean reportsToHandler;

    LoopTask(SingleThreadEventLoop owner, Callable<T> callable, long enqueuedAt) {
        super(owner);
        this.owner = owner;
        this.callable = callable;
        this.enqueuedAt = enqueuedAt;
        this.submittedAt = owner.debugOrigin();
    }

    @Override
    public void run() {
        if (!claim(STARTED)) {
            return;
        }
        owner.taskStarted(this, enqueuedAt);
        runClaimed();
    }

    /** Runs the callable and completes the future; the claim is already held. */
    final void runClaimed() {
        T value;
        try {
            value = callable.call();
        } catch (Throwable failure) {
            owner.taskFailed(this, failure);
            completeExceptionally(failure);
            return;
        }
        complete(value);
    }

    /** Marks this task as a {@link LoopHandle} callback; call before it is queued. */
    final LoopTask<T> reportingToHandler() {
        reportsToHandler = true;
        return this;
    }

    final boolean reportsToHandler() {
        return reportsToHandler;
    }

    final boolean claim(int to) {
        return CLAIM.compareAndSet(this, NEW, to);
    }

    /** LoopHandle: cancels only if not yet started. */
    @Override
    public boolean cancel() {
        if (!claim(CANCELLED)) {
            return false;
        }
        completeCancelled();
        onCancelled();
        return true;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean claimed = claim(CANCELLED);
        completeCancelled();
        if (claimed) {
            onCancelled();
        }
        return isCancelled();
    }

    /**
     * Completes as cancelled with an exception that has no stack trace: CompletableFuture.cancel
     * fills one in, which costs more than the rest of a timer's schedule-and-cancel together.
     */
    private void completeCancelled() {
        if (!isDone()) {
            completeExceptionally(new Cancelled());
        }
    }

    /** A cancellation; its stack would only show the canceller's frames, so it has none. */
    static final class Cancelled extends java.util.concurrent.CancellationException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Called once when a not-yet-started task is cancelled. */
    void onCancelled() {
    }

    @Override
    public long when() {
        return enqueuedAt;
    }

    String description() {
        return callable.toString();
    }

    @Override
    public String toString() {
        return description();
    }
}

package io.eventthread.internal;

import io.eventthread.LoopHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableFuture;

/**
 * A task that is its own future: what {@code submit}, {@code callSoon}, the timers and
 * {@code runBlocking} create, so a submission allocates this one object.
 *
 * <p>A task is claimed exactly once, by running or by cancelling, so cancelled work never starts
 * and no task runs twice. Cancelling a running task completes its future as cancelled (as
 * {@link java.util.concurrent.FutureTask} does); the running code is not interrupted, except
 * for blocking work, whose {@link #cancelWork()} interrupts it.
 */
abstract class TaskFuture<T> extends OwnedFuture<T> implements RunnableFuture<T>, LoopHandle {

    static final int NEW = 0;
    static final int STARTED = 1;
    static final int CANCELLED = 2;

    private static final VarHandle CLAIM;

    static {
        try {
            CLAIM = MethodHandles.lookup().findVarHandle(TaskFuture.class, "claim", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Callable<T> callable;
    /**
     * Loop time at submission, from which a queued task's delay is measured; a timer's deadline
     * (a periodic timer moves it on the loop thread).
     */
    long dueAt;
    /**
     * The next task in an executor view's registry of its tasks ({@link ViewRegistry}), or its
     * end-of-list or left-the-list marker; {@code null} for a task no view tracks. Guarded by the lane.
     */
    Object viewNext;
    private volatile int claim;
    /** A handle's callback reports failures to the uncaught-exception handler, like execute(). */
    private boolean reportsToHandler;

    TaskFuture(TaskOwner owner, Callable<T> callable, long enqueuedAt, boolean tracked) {
        super(owner, tracked);
        this.callable = callable;
        this.dueAt = enqueuedAt;
        owner.traceOrigin(this);
    }

    /** Runs the callable and completes the future; the claim is already held. */
    final void runClaimed() {
        if (callable instanceof DecoratedCallable<T> decorated) {
            // complete inside the decorator's scope: the continuations the completion runs here
            // see the submitter's context too, not only the task itself
            decorated.runCompleting(this);
            return;
        }
        T value;
        try {
            value = callable.call();
        } catch (Throwable failure) {
            completeFromRun(null, failure);
            return;
        }
        completeFromRun(value, null);
    }

    /** Completes with what the callable returned or threw, in its callback on the loop. */
    final void completeFromRun(T value, Throwable failure) {
        if (failure != null) {
            owner().taskFailed(this, failure, true);
            completeExceptionally(failure);
        } else {
            complete(value);
        }
    }

    /** Marks this task as a {@link LoopHandle} callback; call before it is queued. */
    final TaskFuture<T> reportingToHandler() {
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
        boolean cancelled = isCancelled();
        if (cancelled) {
            cancelWork();
        }
        return cancelled;
    }

    /**
     * Completes on the loop, unwrapping a stage's {@code CompletionException}: through the one way back
     * to the loop ({@link LoopCompletion}).
     */
    final void completeOnLoop(T value, Throwable failure) {
        DecoratedCompletion<T> inContext = completionInContext();
        if (inContext != null) {
            inContext.complete(value, failure);
        } else {
            LoopCompletion.send(owner(), () -> finish(value, failure));
        }
    }

    /**
     * The completion wrapped, at submission, by the group's decorator; {@code null} without one.
     * Only work that completes through {@link #completeOnLoop} (blocking, asynchronous) has one.
     */
    DecoratedCompletion<T> completionInContext() {
        return null;
    }

    final void finish(T value, Throwable failure) {
        if (failure == null) {
            complete(value);
        } else {
            Throwable cause = Failures.unwrap(failure);
            owner().taskFailed(this, cause, false);
            completeExceptionally(cause);
        }
    }

    /**
     * As a queue entry ({@link UserEntry}, {@link TimerMessage}) at termination: cancelled unless
     * done (a timer's removal message is then spent), and counted as cancelled work if it was.
     */
    public int terminate(List<Runnable> neverStarted) {
        if (isDone()) {
            return 0;
        }
        cancel(false);
        return 1;
    }

    /** As a queue entry taken back from outside the loop: cancelled, as a submission refused at termination. */
    public boolean cancelFromOutside() {
        return cancel(false);
    }

    /** Called once when a not-yet-started task is cancelled. */
    void onCancelled() {
    }

    /** Stops the work behind the future after a cancel, for work that runs off the queue. */
    void cancelWork() {
    }

    @Override
    public long when() {
        return dueAt;
    }

    String description() {
        return callable.toString();
    }

    @Override
    public String toString() {
        return description();
    }
}

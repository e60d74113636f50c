package io.eventthread.structured;

import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The child bookkeeping of one {@link TaskGroup}: its state, its running children and how to
 * cancel each, its first failure, and the completion of its future. Every field is guarded by
 * this object's lock; children are cancelled and the future completed outside it.
 */
final class GroupChildren {

    private enum State { OPEN, CLOSED, ABORTED, DONE }

    private final EventLoop loop;
    /** The group's future, completed on the loop. */
    final LoopFuture<Void> done;
    /** Running children and how to cancel each. */
    private final Map<Future<?>, Runnable> children = new LinkedHashMap<>();
    /** Children accepted and not yet done; counts those being submitted, not yet in the map. */
    private int active;
    private State state = State.OPEN;
    /** The first failure, or the CancellationException of a cancelled group. */
    private Throwable failure;

    GroupChildren(EventLoop loop) {
        this.loop = loop;
        this.done = loop.newFuture();
    }

    /** Closes the group to further children from outside; see {@link TaskGroup#closeAsync()}. */
    LoopFuture<Void> close() {
        boolean finish;
        synchronized (this) {
            if (state == State.OPEN) {
                state = State.CLOSED;
            }
            finish = state == State.CLOSED && active == 0;
            if (finish) {
                state = State.DONE;
            }
        }
        if (finish) {
            finish();
        }
        return done;
    }

    synchronized boolean isAborted() {
        return failure != null;
    }

    synchronized int active() {
        return active;
    }

    synchronized String describe() {
        return "TaskGroup[" + loop.name() + ", " + state + ", " + active + " active]";
    }

    /**
     * Adds a child: counts it before it starts (so the group cannot finish in between), then
     * records how to cancel it; {@code canceller} null means cancelling its future.
     */
    <T> LoopFuture<T> add(Supplier<LoopFuture<T>> start, Runnable canceller) {
        return add(start, canceller, null);
    }

    /** {@code blocking}, if given, says when the child's thread has left it. */
    <T> LoopFuture<T> add(Supplier<LoopFuture<T>> start, Runnable canceller, BlockingChild<?> blocking) {
        synchronized (this) {
            if (state == State.DONE && failure == null) {
                throw new IllegalStateException("task group on loop '" + loop.name()
                        + "' is done: open a new group for further work");
            }
            if (failure != null) { // failed or cancelled, done or not: refused, yet nothing is lost
                LoopFuture<T> refused = loop.newFuture();
                refused.cancel(false);
                return refused;
            }
            active++;
        }
        LoopFuture<T> future;
        try {
            future = start.get();
        } catch (RuntimeException | Error e) {
            childDone(null, null, null);
            throw e;
        }
        Runnable cancel = canceller != null ? canceller : () -> future.cancel(true);
        boolean cancelNow;
        synchronized (this) {
            cancelNow = state == State.ABORTED;
            if (!cancelNow) {
                children.put(future, cancel);
            }
        }
        if (cancelNow) {
            cancel.run();
        }
        if (blocking == null) {
            future.whenComplete((value, thrown) -> childDone(future, thrown, null));
        } else {
            future.whenComplete((value, thrown) -> {
                blocking.futureDone();
                blocking.exited.thenAccept(late -> childDone(future, thrown, future.isCancelled() ? late : null));
            });
        }
        return future;
    }

    /**
     * A child is done. {@code thrown} is its future's failure; {@code late} what a cancelled
     * blocking child's task threw on its way out, kept as suppressed if the group has a failure.
     */
    private void childDone(Future<?> child, Throwable thrown, Throwable late) {
        Throwable cause = TaskGroup.unwrap(thrown);
        boolean failed = cause != null && !(cause instanceof CancellationException);
        if (failed) {
            // the first failure aborts; later ones join it as suppressed
            if (!abort(cause)) {
                addSuppressed(cause);
            }
        } else if (late != null && !(late instanceof InterruptedException) && !(late instanceof CancellationException)) {
            addSuppressed(late);
        }
        boolean finish;
        synchronized (this) {
            if (child != null) {
                children.remove(child);
            }
            active--;
            finish = active == 0 && (state == State.CLOSED || state == State.ABORTED);
            if (finish) {
                state = State.DONE;
            }
        }
        if (finish) {
            finish();
        }
    }

    boolean abort(Throwable cause) {
        List<Runnable> toCancel;
        boolean finish;
        synchronized (this) {
            if (failure != null || state == State.DONE) {
                return false;
            }
            failure = cause;
            state = State.ABORTED;
            toCancel = new ArrayList<>(children.values());
            finish = active == 0;
            if (finish) {
                state = State.DONE;
            }
        }
        // cancelling interrupts a blocking child; a nested group cancels its own children
        for (Runnable cancel : toCancel) {
            cancel.run();
        }
        if (finish) {
            finish();
        }
        return true;
    }

    /** A failure after the first (or after a cancellation) is kept with it, not lost. */
    private synchronized void addSuppressed(Throwable later) {
        if (failure != null && failure != later) {
            failure.addSuppressed(later);
        }
    }

    /** Completes the group's future on the loop, so its plain continuations run there. */
    private void finish() {
        Throwable outcome;
        synchronized (this) {
            outcome = failure;
        }
        LoopFutures.completeOn(done, null, outcome);
    }
}

package io.eventthread.internal;

import io.eventthread.LoopFuture;
import java.util.concurrent.CancellationException;

/**
 * A future the engine hands out. A tracked one — asynchronous or blocking work, a promise —
 * lives outside the task queue, so the loop keeps it in a registry while it is incomplete (to
 * find it at shutdown) and it leaves the registry when it completes, by whatever path.
 */
abstract class OwnedFuture<T> extends BoundFuture<T> {

    private final boolean tracked;

    OwnedFuture(TaskOwner owner, boolean tracked) {
        super(owner);
        this.tracked = tracked;
    }

    /**
     * The loop, as tasks see it: the reference the public superclass holds (a second field would
     * cost every pending timer eight bytes, its size being a multiple of eight).
     */
    final TaskOwner owner() {
        return (TaskOwner) futureOwner();
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        if (done && tracked) {
            owner().untrack(this);
        }
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean done = super.completeExceptionally(failure);
        if (done && tracked) {
            owner().untrack(this);
        }
        return done;
    }

    /** Whether anyone read the outcome or chained on it: a failure is then not "never retrieved". */
    final boolean observed() {
        return isObserved();
    }

    /**
     * Completes as cancelled with an exception that has no stack trace: CompletableFuture.cancel
     * fills one in, which costs more than the rest of a timer's schedule-and-cancel together.
     */
    final void completeCancelled() {
        if (!isDone()) {
            completeExceptionally(new Cancelled());
        }
    }

    /** A cancellation; its stack would only show the canceller's frames, so it has none. */
    static final class Cancelled extends CancellationException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled");
        }

        /** Not {@code synchronized} as Throwable's is: the constructor calls it, and the lock cost every cancel two CASes. */
        @Override
        public Throwable fillInStackTrace() {
            return this;
        }
    }
}

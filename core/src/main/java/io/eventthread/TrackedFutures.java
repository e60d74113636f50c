package io.eventthread;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Futures whose work lives outside the task queue — asynchronous stages, blocking work, promises —
 * and that the loop must therefore find at shutdown: each registers with its loop while incomplete
 * and leaves the registry when it completes, by whatever path.
 */
final class TrackedFutures {

    private TrackedFutures() {
    }

    /** A future the loop tracks while it is incomplete. */
    abstract static class Tracked<T> extends LoopTask<T> {

        Tracked(SingleThreadEventLoop owner, Callable<T> callable) {
            super(owner, callable, owner.time());
        }

        @Override
        public boolean complete(T value) {
            boolean done = super.complete(value);
            if (done) {
                owner.untrack(this);
            }
            return done;
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            boolean done = super.completeExceptionally(failure);
            if (done) {
                owner.untrack(this);
            }
            return done;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            if (done) {
                owner.untrack(this);
                cancelWork();
            }
            return done;
        }

        @Override
        public boolean cancel() {
            return cancel(true);
        }

        /** Completes on the loop: at once when called there, else through the queue. */
        final void completeOnLoop(T value, Throwable failure) {
            if (owner.inEventLoop()) {
                finish(value, failure);
            } else {
                owner.executeInternal(() -> finish(value, failure));
            }
        }

        private void finish(T value, Throwable failure) {
            if (failure == null) {
                complete(value);
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                owner.workFailed(this, cause);
                completeExceptionally(cause);
            }
        }

        /** Stops the work behind the future after a cancel. */
        abstract void cancelWork();
    }

    /** {@code submitAsync}: the supplier runs on the loop; the future mirrors the stage it returns. */
    static final class AsyncTask<T> extends Tracked<T> {

        private final Supplier<? extends CompletionStage<T>> work;
        private volatile CompletionStage<T> stage;

        AsyncTask(SingleThreadEventLoop owner, Supplier<? extends CompletionStage<T>> work) {
            super(owner, () -> null);
            this.work = work;
        }

        @Override
        public void run() {
            if (!claim(STARTED)) {
                return;
            }
            owner.taskStarted(this, enqueuedAt);
            CompletionStage<T> s;
            try {
                s = work.get();
                if (s == null) {
                    throw new NullPointerException("submitAsync: the supplier returned null instead of a CompletionStage");
                }
            } catch (Throwable failure) {
                owner.taskFailed(this, failure);
                completeExceptionally(failure);
                return;
            }
            stage = s;
            if (isDone()) {
                cancelWork();
                return;
            }
            s.whenComplete(this::completeOnLoop);
        }

        @Override
        void cancelWork() {
            CompletionStage<T> s = stage;
            if (s != null) {
                try {
                    s.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                    // a stage that cannot be turned into a future cannot be cancelled either
                }
            }
        }

        @Override
        String description() {
            return work.toString();
        }
    }

    /** {@code runBlocking}: runs on the blocking pool, completes on the loop. */
    static final class BlockingTask<T> extends Tracked<T> implements Runnable {

        private Thread runner;
        private boolean finished;

        BlockingTask(SingleThreadEventLoop owner, Callable<T> callable) {
            super(owner, callable);
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
        synchronized void cancelWork() {
            if (runner != null && !finished) {
                runner.interrupt();
            }
        }
    }

    /** {@code newFuture}: completed by the caller; cancelled if still incomplete at termination. */
    static final class Promise<T> extends Tracked<T> {

        Promise(SingleThreadEventLoop owner) {
            super(owner, () -> null);
        }

        @Override
        public void run() {
            // a promise is never queued
        }

        @Override
        void cancelWork() {
        }

        @Override
        String description() {
            return "promise";
        }
    }
}

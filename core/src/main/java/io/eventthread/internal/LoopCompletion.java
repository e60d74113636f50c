package io.eventthread.internal;

import io.eventthread.ClosedException;
import io.eventthread.LoopState;
import java.util.concurrent.CompletableFuture;

/**
 * The one way back to a loop for a completion: {@code LoopFuture.completeOnLoop}, the completion
 * of blocking and asynchronous work ({@link TaskFuture}, {@link DecoratedCompletion}) and of
 * {@code timeout}. Run at once on the loop thread; from any other thread, queued as the loop's
 * own work ({@link TaskOwner#offerOwned}), never through the user-facing {@code execute}, so it
 * is accepted while a graceful shutdown drains, is never counted or reported as a rejection, and
 * is never handed back by an immediate shutdown as a never-started task. Queued when the loop
 * terminates, the termination sweep runs it on the loop thread, before the loop cancels the
 * futures it still owns. If the loop does not take it (not started, or terminated, or the
 * termination took it back), {@link #notRun()} answers on the calling thread instead.
 */
abstract class LoopCompletion implements InternalTask {

    /** Runs this on {@code owner}'s loop as above. */
    final void send(TaskOwner owner) {
        if (owner.inEventLoop()) {
            run();
        } else if (!owner.offerOwned(this)) {
            notRun();
        }
    }

    /** The loop will never run this completion: answer the waiter on the calling thread. */
    abstract void notRun();

    /**
     * Engine work (a tracked future's completion): run wherever the loop cannot. The future is
     * cancelled at termination by then, so only the work's failure report remains to be made.
     */
    static void send(TaskOwner owner, Runnable completion) {
        new LoopCompletion() {
            @Override
            public void run() {
                completion.run();
            }

            @Override
            void notRun() {
                completion.run();
            }

            @Override
            public String toString() {
                return "completion " + completion;
            }
        }.send(owner);
    }

    /**
     * {@code LoopFuture.completeOnLoop}: completes {@code future} with the value or the failure
     * on the loop, or with a {@link ClosedException} if the loop does not run (a no-op for a
     * future the loop's termination cancelled already).
     */
    static <T> void complete(TaskOwner owner, CompletableFuture<T> future, T value, Throwable failure) {
        new FutureCompletion<>(owner, future, value, failure).send(owner);
    }

    private static final class FutureCompletion<T> extends LoopCompletion {
        private final TaskOwner owner;
        private final CompletableFuture<T> future;
        private final T value;
        private final Throwable failure;

        FutureCompletion(TaskOwner owner, CompletableFuture<T> future, T value, Throwable failure) {
            this.owner = owner;
            this.future = future;
            this.value = value;
            this.failure = failure;
        }

        @Override
        public void run() {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        }

        @Override
        void notRun() {
            if (future.isDone()) {
                return;
            }
            LoopState state = owner.loop().state();
            String why = state == LoopState.NEW ? "has not been started" : "has terminated";
            ClosedException closed = new ClosedException("event loop '" + owner.name() + "' " + why
                    + ": the future was not completed on it", failure);
            future.completeExceptionally(closed);
        }

        /**
         * A forced termination: the loop thread is stuck and may never sweep its queue, so the
         * waiter is answered now. Not cancelled work of the caller's: not counted.
         */
        @Override
        public boolean cancelFromOutside() {
            notRun();
            return false;
        }

        @Override
        public String toString() {
            return "completion of " + future;
        }
    }
}

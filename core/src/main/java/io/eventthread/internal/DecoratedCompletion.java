package io.eventthread.internal;

import java.util.function.UnaryOperator;

/**
 * The completion of blocking or asynchronous work, run on the loop inside the group's decorator
 * as it was applied on the submitting thread: the continuations the completion runs on the loop
 * see the submitter's context, not the loop's (the work itself finishes on a pool thread or in a
 * stage that knows nothing of that context).
 */
final class DecoratedCompletion<T> implements Runnable {

    private final TaskFuture<T> future;
    private final Runnable decorated;
    // handed to the decorated run on the loop thread, which alone writes and reads them
    private T value;
    private Throwable failure;

    /** Call on the submitting thread: the decorator captures its context here. */
    DecoratedCompletion(TaskFuture<T> future, UnaryOperator<Runnable> decorator) {
        this.future = future;
        this.decorated = decorator.apply(this);
    }

    /** Completes the future on the loop, in the decorated scope: through {@link LoopCompletion}. */
    void complete(T value, Throwable failure) {
        LoopCompletion.send(future.owner(), () -> {
            this.value = value;
            this.failure = failure;
            decorated.run();
        });
    }

    /** Called by the decorated wrapper. */
    @Override
    public void run() {
        T v = value;
        Throwable f = failure;
        value = null;
        failure = null;
        future.finish(v, f);
    }
}

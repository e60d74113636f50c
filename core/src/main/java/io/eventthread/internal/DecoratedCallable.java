package io.eventthread.internal;

import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * A callable run through the group's task decorator. The decorator sees a {@code Runnable} at
 * submission, on the submitting thread — where a context-propagating decorator captures its
 * snapshot — and each call runs the target inside whatever the decorator wraps around it.
 */
final class DecoratedCallable<T> implements Callable<T>, Runnable {

    private final Callable<T> target;
    private final Runnable decorated;
    private T result;
    private Throwable failure;
    /** Set while {@link #runCompleting} runs: the task to complete inside the decorated scope. */
    private TaskFuture<T> completing;

    DecoratedCallable(Callable<T> target, UnaryOperator<Runnable> decorator) {
        this.target = target;
        this.decorated = decorator.apply(this);
    }

    /**
     * Runs the target in the decorated scope and completes {@code task} there, so that the
     * continuations its completion runs see the decorator's context as well.
     */
    void runCompleting(TaskFuture<T> task) {
        completing = task;
        try {
            decorated.run();
        } finally {
            completing = null;
        }
    }

    /** Called by the decorated wrapper. */
    @Override
    public void run() {
        TaskFuture<T> task = completing;
        if (task != null) {
            completing = null;
            T value;
            try {
                value = target.call();
            } catch (Throwable t) {
                task.completeFromRun(null, t);
                return;
            }
            task.completeFromRun(value, null);
            return;
        }
        try {
            result = target.call();
            failure = null;
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public T call() throws Exception {
        decorated.run();
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw DecoratedCallable.<Exception>sneaky(t);
        }
        T value = result;
        result = null;
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public String toString() {
        return target.toString();
    }
}

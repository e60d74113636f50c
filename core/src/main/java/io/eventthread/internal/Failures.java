package io.eventthread.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.Objects;

/** Small helpers the engine and the bridges share for failures and task descriptions. */
public final class Failures {

    private Failures() {
    }

    /**
     * The failure a {@link CompletionException} wraps, or the failure itself: what a stage's
     * dependent sees is the wrapped form, what the user threw is the cause.
     * @param failure a failure from a stage
     * @return the user's failure
     */
    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * A task's description for messages: its {@code toString}, at most 200 characters.
     * @param task the task, may be {@code null}
     * @return the description
     */
    public static String describe(Object task) {
        if (task == null) {
            return "a task";
        }
        String s;
        try {
            s = task.toString();
        } catch (RuntimeException e) {
            s = task.getClass().getName();
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** A callable that runs {@code task} and returns {@code result}, describing itself as the task. */
    static <T> Callable<T> callable(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return new Callable<>() {
            @Override
            public T call() {
                task.run();
                return result;
            }

            @Override
            public String toString() {
                return task.toString();
            }
        };
    }
}

package io.eventthread.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code submitAsync}: the supplier runs on the loop; the future mirrors the stage it returns,
 * and is tracked in flight until that stage completes.
 */
final class AsyncTask<T> extends LoopTask<T> {

    private final Supplier<? extends CompletionStage<T>> work;
    private volatile CompletionStage<T> stage;
    private final DecoratedCompletion<T> inContext;

    /** Call on the submitting thread; {@code decorator} is the group's, or {@code null}. */
    AsyncTask(TaskOwner owner, Supplier<? extends CompletionStage<T>> work, UnaryOperator<Runnable> decorator) {
        super(owner, () -> null, owner.time(), true);
        this.work = work;
        this.inContext = decorator == null ? null : new DecoratedCompletion<>(this, decorator);
    }

    @Override
    public void run() {
        if (!claim(STARTED)) {
            return;
        }
        owner().taskStarted(this, dueAt);
        CompletionStage<T> s;
        try {
            s = work.get();
            if (s == null) {
                throw new NullPointerException("submitAsync: the supplier returned null instead of a CompletionStage");
            }
        } catch (Throwable failure) {
            owner().taskFailed(this, failure, true);
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
    DecoratedCompletion<T> completionInContext() {
        return inContext;
    }

    @Override
    public boolean cancel() {
        return cancel(true);
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

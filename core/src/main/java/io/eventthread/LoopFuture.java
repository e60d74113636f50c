package io.eventthread;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link CompletableFuture} bound to one {@link EventLoop}.
 *
 * <ul>
 *   <li>Its default executor is its loop: {@code thenApplyAsync(fn)} and the other {@code *Async}
 *       methods without an executor run {@code fn} on the loop, and the futures they return are
 *       {@code LoopFuture}s of the same loop.</li>
 *   <li>Futures the loop hands out complete on the loop thread, so plain (non-async)
 *       continuations run there too.</li>
 *   <li>{@link #await(Duration)} is the plain-thread way to wait, with a {@code Duration}.</li>
 *   <li>A blocking wait ({@link #await}, {@link #get()}, {@link #get(long, TimeUnit)},
 *       {@link #join()}) on the future's own loop thread while it is not done throws
 *       {@link BlockingOperationException}: the loop is the thread that would complete it, so the
 *       wait could never end.</li>
 *   <li>A waiting thread polls briefly before it parks (the loop's idle spin), so a round trip to
 *       a busy loop does not pay two operating-system wake-ups. Unlike a plain
 *       {@code CompletableFuture}, a thread waiting here never runs other stages' continuations
 *       itself: they stay on the loop.</li>
 *   <li>A future you complete yourself ({@link EventLoop#newFuture()}) runs its plain
 *       continuations on the thread that completes it: complete it on the loop (for example
 *       through {@link EventLoop#callSoon}) to keep them there.</li>
 * </ul>
 *
 * <p>Create one with {@link EventLoop#newFuture()}; the loop's own methods return them.
 *
 * @param <T> the result type
 */
public abstract class LoopFuture<T> extends CompletableFuture<T> {

    /** For the engine, which makes every loop future. */
    protected LoopFuture() {
    }

    /**
     * The loop this future belongs to.
     * @return its loop
     */
    public abstract EventLoop loop();

    /**
     * Waits at most {@code timeout} for the result, from a thread outside the loop.
     * @param timeout the longest wait
     * @return the result
     * @throws TimeoutException if not done in time
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws CompletionException wrapping the failure, if it completed exceptionally
     * @throws CancellationException if it was cancelled
     * @throws BlockingOperationException on this future's own loop thread while it is not done
     */
    public T await(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------ covariant stages: every new stage is a LoopFuture
    // CompletableFuture makes each dependent through newIncompleteFuture(), a LoopFuture of this
    // loop, and the timeout and completeAsync methods return this: the casts cannot fail. The
    // either family is the exception: when the other stage is already done and this one is not,
    // the JDK makes the dependent through the *other* stage's newIncompleteFuture (own() below).

    @Override
    public <U> LoopFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return (LoopFuture<U>) super.thenApply(fn);
    }

    @Override
    public <U> LoopFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
        return (LoopFuture<U>) super.thenApplyAsync(fn);
    }

    @Override
    public <U> LoopFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
        return (LoopFuture<U>) super.thenApplyAsync(fn, executor);
    }

    @Override
    public LoopFuture<Void> thenAccept(Consumer<? super T> action) {
        return (LoopFuture<Void>) super.thenAccept(action);
    }

    @Override
    public LoopFuture<Void> thenAcceptAsync(Consumer<? super T> action) {
        return (LoopFuture<Void>) super.thenAcceptAsync(action);
    }

    @Override
    public LoopFuture<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
        return (LoopFuture<Void>) super.thenAcceptAsync(action, executor);
    }

    @Override
    public LoopFuture<Void> thenRun(Runnable action) {
        return (LoopFuture<Void>) super.thenRun(action);
    }

    @Override
    public LoopFuture<Void> thenRunAsync(Runnable action) {
        return (LoopFuture<Void>) super.thenRunAsync(action);
    }

    @Override
    public LoopFuture<Void> thenRunAsync(Runnable action, Executor executor) {
        return (LoopFuture<Void>) super.thenRunAsync(action, executor);
    }

    @Override
    public <U, V> LoopFuture<V> thenCombine(CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        return (LoopFuture<V>) super.thenCombine(other, fn);
    }

    @Override
    public <U, V> LoopFuture<V> thenCombineAsync(CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        return (LoopFuture<V>) super.thenCombineAsync(other, fn);
    }

    @Override
    public <U, V> LoopFuture<V> thenCombineAsync(CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn, Executor executor) {
        return (LoopFuture<V>) super.thenCombineAsync(other, fn, executor);
    }

    @Override
    public <U> LoopFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        return (LoopFuture<Void>) super.thenAcceptBoth(other, action);
    }

    @Override
    public <U> LoopFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        return (LoopFuture<Void>) super.thenAcceptBothAsync(other, action);
    }

    @Override
    public <U> LoopFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action, Executor executor) {
        return (LoopFuture<Void>) super.thenAcceptBothAsync(other, action, executor);
    }

    @Override
    public LoopFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return (LoopFuture<Void>) super.runAfterBoth(other, action);
    }

    @Override
    public LoopFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
        return (LoopFuture<Void>) super.runAfterBothAsync(other, action);
    }

    @Override
    public LoopFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return (LoopFuture<Void>) super.runAfterBothAsync(other, action, executor);
    }

    @Override
    public <U> LoopFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return own(super.applyToEither(other, fn));
    }

    @Override
    public <U> LoopFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return own(super.applyToEitherAsync(other, fn));
    }

    @Override
    public <U> LoopFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn, Executor executor) {
        return own(super.applyToEitherAsync(other, fn, executor));
    }

    @Override
    public LoopFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return own(super.acceptEither(other, action));
    }

    @Override
    public LoopFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return own(super.acceptEitherAsync(other, action));
    }

    @Override
    public LoopFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action, Executor executor) {
        return own(super.acceptEitherAsync(other, action, executor));
    }

    @Override
    public LoopFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return own(super.runAfterEither(other, action));
    }

    @Override
    public LoopFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return own(super.runAfterEitherAsync(other, action));
    }

    @Override
    public LoopFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return own(super.runAfterEitherAsync(other, action, executor));
    }

    @Override
    public <U> LoopFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return (LoopFuture<U>) super.thenCompose(fn);
    }

    @Override
    public <U> LoopFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
        return (LoopFuture<U>) super.thenComposeAsync(fn);
    }

    @Override
    public <U> LoopFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn, Executor executor) {
        return (LoopFuture<U>) super.thenComposeAsync(fn, executor);
    }

    @Override
    public <U> LoopFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return (LoopFuture<U>) super.handle(fn);
    }

    @Override
    public <U> LoopFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
        return (LoopFuture<U>) super.handleAsync(fn);
    }

    @Override
    public <U> LoopFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn, Executor executor) {
        return (LoopFuture<U>) super.handleAsync(fn, executor);
    }

    @Override
    public LoopFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return (LoopFuture<T>) super.whenComplete(action);
    }

    @Override
    public LoopFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return (LoopFuture<T>) super.whenCompleteAsync(action);
    }

    @Override
    public LoopFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
        return (LoopFuture<T>) super.whenCompleteAsync(action, executor);
    }

    @Override
    public LoopFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return (LoopFuture<T>) super.exceptionally(fn);
    }

    @Override
    public LoopFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
        return (LoopFuture<T>) super.exceptionallyAsync(fn);
    }

    @Override
    public LoopFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn, Executor executor) {
        return (LoopFuture<T>) super.exceptionallyAsync(fn, executor);
    }

    @Override
    public LoopFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return (LoopFuture<T>) super.exceptionallyCompose(fn);
    }

    @Override
    public LoopFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return (LoopFuture<T>) super.exceptionallyComposeAsync(fn);
    }

    @Override
    public LoopFuture<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn, Executor executor) {
        return (LoopFuture<T>) super.exceptionallyComposeAsync(fn, executor);
    }

    @Override
    public LoopFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        return (LoopFuture<T>) super.completeOnTimeout(value, timeout, unit);
    }

    @Override
    public LoopFuture<T> orTimeout(long timeout, TimeUnit unit) {
        return (LoopFuture<T>) super.orTimeout(timeout, unit);
    }

    @Override
    public LoopFuture<T> completeAsync(Supplier<? extends T> supplier) {
        return (LoopFuture<T>) super.completeAsync(supplier);
    }

    @Override
    public LoopFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        return (LoopFuture<T>) super.completeAsync(supplier, executor);
    }

    @Override
    public LoopFuture<T> copy() {
        return (LoopFuture<T>) super.copy();
    }

    @Override
    public LoopFuture<T> toCompletableFuture() {
        return (LoopFuture<T>) super.toCompletableFuture();
    }

    /**
     * {@code stage} if it is a {@code LoopFuture} of this loop, else a dependent of this loop that
     * relays its outcome (for an either-stage made by the other, already completed, stage).
     */
    private <U> LoopFuture<U> own(CompletableFuture<U> stage) {
        if (stage instanceof LoopFuture<U> mine && mine.loop() == loop()) {
            return mine;
        }
        LoopFuture<U> relay = newIncompleteFuture();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                relay.complete(value);
            } else {
                relay.completeExceptionally(failure);
            }
        });
        return relay;
    }

    /** Every dependent stage is a {@code LoopFuture} of the same loop. */
    @Override
    public abstract <U> LoopFuture<U> newIncompleteFuture();
}

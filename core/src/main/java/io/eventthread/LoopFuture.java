package io.eventthread;

import io.eventthread.internal.Durations;
import io.eventthread.internal.FutureOwner;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
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
 *       continuations on the thread that completes it: complete it with
 *       {@link #completeOnLoop(Object)} (or {@link #completeExceptionallyOnLoop(Throwable)}) from
 *       another thread to keep them on the loop.</li>
 * </ul>
 *
 * <p>Create one with {@link EventLoop#newFuture()}; the loop's own methods return them.
 *
 * @param <T> the result type
 */
public class LoopFuture<T> extends CompletableFuture<T> {

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(LoopFuture.class, "waiters", Waiters.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The loop; the engine's futures reach it through {@link #futureOwner()}, so they hold no second reference. */
    private final FutureOwner loop;
    /** Created by the first thread that waits. */
    private volatile Waiters waiters;

    /** Set once anyone reads the outcome or chains on it: the failure is then not "unobserved". */
    private volatile boolean observed;

    /**
     * For the engine only: the owner type lives in a package the module does not export, so no
     * code outside the library can make one.
     * @param owner the loop that completes this future
     */
    @SuppressWarnings("exports")
    protected LoopFuture(FutureOwner owner) {
        this.loop = Objects.requireNonNull(owner, "owner");
    }

    /**
     * For the engine only: the loop that completes this future, as the engine sees it.
     * @return the owner given at construction
     */
    @SuppressWarnings("exports")
    protected final FutureOwner futureOwner() {
        return loop;
    }

    /**
     * The loop this future belongs to.
     * @return its loop
     */
    public EventLoop loop() {
        return loop.loop();
    }

    /**
     * Completes this future with {@code value} on its loop thread, from any thread, so its plain
     * continuations run on the loop: the way to complete a {@link EventLoop#newFuture()} from
     * another thread. On the loop thread it completes at once; from elsewhere it is queued as the
     * loop's own work, not a task: it never goes through {@link EventLoop#execute}, is never
     * counted or reported as a rejection, and is never among the tasks an immediate shutdown hands
     * back as never started.
     * <ul>
     *   <li>During a graceful shutdown it is still accepted and completes on the loop thread.</li>
     *   <li>If the loop terminates with it queued, the termination completes the future with
     *       {@code value} on the loop thread, before it cancels the futures it still owns; if the
     *       loop is instead forced (stuck in a callback past its deadline), the future completes
     *       exceptionally with a {@link ClosedException} at once.</li>
     *   <li>If the loop has terminated (or has not been started), the future completes
     *       exceptionally with a {@link ClosedException} on the calling thread, unless it is done
     *       already — as a {@code newFuture()} is then: termination cancels every one still
     *       incomplete, so the call changes nothing.</li>
     * </ul>
     * Like {@link #complete}, it does nothing to a future that is done by the time it runs.
     * @param value the result
     */
    public final void completeOnLoop(T value) {
        loop.completeOnLoop(this, value, null);
    }

    /**
     * Completes this future exceptionally on its loop thread, from any thread; the same contract
     * as {@link #completeOnLoop(Object)} (once the loop has terminated, the {@link ClosedException}
     * carries {@code failure} as its cause).
     * @param failure the failure
     */
    public final void completeExceptionallyOnLoop(Throwable failure) {
        loop.completeOnLoop(this, null, Objects.requireNonNull(failure, "failure"));
    }

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
            return get(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        beforeWait("get()");
        if (!isDone()) {
            try {
                awaitDone(false, 0);
            } catch (TimeoutException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return super.get(); // done: reports at once, without CompletableFuture's helping wait
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        beforeWait("get(timeout)");
        if (!isDone()) {
            awaitDone(true, Durations.clamp(unit.toNanos(timeout)));
        }
        return super.get();
    }

    @Override
    public T join() {
        beforeWait("join()");
        boolean interrupted = false;
        while (!isDone()) {
            try {
                awaitDone(false, 0);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return super.join();
    }

    /**
     * Parks until done. The wake-up is one continuation per future, registered by the first
     * waiter, that unparks the threads waiting at that moment; it runs on the completing thread
     * (the loop): CompletableFuture's own wait would have this thread help run the future's other
     * dependents, taking loop-confined continuations off the loop. A waiter that leaves (done,
     * timed out, interrupted) takes itself off the list, so polling leaves nothing behind.
     */
    private void awaitDone(boolean timed, long nanos) throws InterruptedException, TimeoutException {
        Thread waiter = Thread.currentThread();
        Waiters w = waiters();
        w.add(waiter);
        try {
            long deadline = timed ? System.nanoTime() + nanos : 0;
            while (!isDone()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (!timed) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("not completed within " + Duration.ofNanos(nanos));
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            w.remove(waiter);
        }
    }

    private Waiters waiters() {
        Waiters w = waiters;
        if (w != null) {
            return w;
        }
        Waiters created = new Waiters();
        if (WAITERS.compareAndSet(this, null, created)) {
            registerWaker(created);
            return created;
        }
        return waiters;
    }

    /**
     * For the engine: registers the one wake-up of this future's waiting threads. An engine
     * future that counts its dependents (a timer work waits on) keeps this one out of the count:
     * a wake-up is not someone waiting — the waiting threads are ({@link #hasWaiters()}).
     * @param waker unparks the waiting threads
     * @return the dependent stage the registration created
     */
    protected CompletableFuture<T> registerWaker(BiConsumer<? super T, ? super Throwable> waker) {
        return whenComplete(waker);
    }

    /**
     * For the engine: whether a thread is blocked waiting for this future now.
     * @return {@code true} while a {@code get}, {@code join} or {@code await} is waiting
     */
    protected final boolean hasWaiters() {
        Waiters w = waiters;
        return w != null && !w.isEmpty();
    }

    /** The threads waiting for a future (usually one), and its one wake-up. */
    private static final class Waiters implements BiConsumer<Object, Throwable> {
        private final ArrayList<Thread> threads = new ArrayList<>(2);

        synchronized void add(Thread waiter) {
            threads.add(waiter);
        }

        synchronized void remove(Thread waiter) {
            threads.remove(waiter);
        }

        synchronized boolean isEmpty() {
            return threads.isEmpty();
        }

        @Override
        public synchronized void accept(Object value, Throwable failure) {
            for (Thread waiter : threads) {
                LockSupport.unpark(waiter);
            }
        }
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed = true;
        return super.getNow(valueIfAbsent);
    }

    /** The loop: {@code *Async} continuations without an executor run on it. */
    @Override
    public Executor defaultExecutor() {
        return loop.continuationExecutor();
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
        if (stage instanceof LoopFuture<U> mine && mine.loop == loop) {
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

    /** Every dependent stage is a {@code LoopFuture} of the same loop, and counts as a reader. */
    @Override
    public <U> LoopFuture<U> newIncompleteFuture() {
        observed = true;
        return new LoopFuture<>(loop);
    }

    @Override
    public String toString() {
        return super.toString() + "[" + loop.name() + "]";
    }

    /**
     * For the engine: whether anyone read the outcome or chained on it.
     * @return {@code true} once observed
     */
    protected final boolean isObserved() {
        return observed;
    }

    private void beforeWait(String method) {
        observed = true;
        if (isDone()) {
            return;
        }
        if (loop.inEventLoop()) {
            throw new BlockingOperationException("LoopFuture." + method, loop.name(),
                    "Chain a continuation instead (thenApply, thenCompose, whenComplete), or wait from a thread "
                    + "outside the loop");
        }
        loop.spinUntilDone(this);
    }
}

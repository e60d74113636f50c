package io.eventthread;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 *       {@link IllegalStateException}: the loop is the thread that would complete it, so the wait
 *       could never end.</li>
 *   <li>A waiting thread polls briefly before it parks (the loop's idle spin), so a round trip to
 *       a busy loop does not pay two operating-system wake-ups.</li>
 * </ul>
 *
 * <p>Create one with {@link EventLoop#newFuture()}; the loop's own methods return them.
 *
 * @param <T> the result type
 */
public class LoopFuture<T> extends CompletableFuture<T> {

    private final SingleThreadEventLoop loop;

    /** Set once anyone reads the outcome or chains on it: the failure is then not "unobserved". */
    private volatile boolean observed;

    LoopFuture(SingleThreadEventLoop loop) {
        this.loop = loop;
    }

    /**
     * The loop this future belongs to.
     * @return its loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Waits at most {@code timeout} for the result, from a thread outside the loop.
     * @param timeout the longest wait
     * @return the result
     * @throws TimeoutException if not done in time
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws CompletionException wrapping the failure, if it completed exceptionally
     * @throws CancellationException if it was cancelled
     * @throws IllegalStateException on this future's own loop thread while it is not done
     */
    public T await(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        beforeWait("get()");
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        beforeWait("get(timeout)");
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        beforeWait("join()");
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public boolean isCompletedExceptionally() {
        return super.isCompletedExceptionally();
    }

    /** The loop: {@code *Async} continuations without an executor run on it. */
    @Override
    public Executor defaultExecutor() {
        return loop.continuationExecutor();
    }

    /** Every dependent stage is a {@code LoopFuture} of the same loop, and counts as a reader. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        observed = true;
        return new LoopFuture<>(loop);
    }

    @Override
    public String toString() {
        return super.toString() + "[" + loop.name() + "]";
    }

    boolean isObserved() {
        return observed;
    }

    /** Marks the outcome as handled without creating a dependent stage. */
    void markObserved() {
        observed = true;
    }

    private void beforeWait(String method) {
        observed = true;
        if (isDone()) {
            return;
        }
        if (loop.inEventLoop()) {
            throw new IllegalStateException(method + " on loop thread '" + loop.name()
                    + "' would deadlock: this future is completed by the loop that would be waiting for it. "
                    + "Chain a continuation instead (thenApply, thenCompose, whenComplete), or wait from a thread "
                    + "outside the loop");
        }
        loop.spinUntilDone(this);
    }
}

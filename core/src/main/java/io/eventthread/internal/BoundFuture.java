package io.eventthread.internal;

import io.eventthread.BlockingOperationException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The engine's {@link LoopFuture}: bound to the loop that completes it, it holds that loop (as a
 * {@link FutureOwner}), the threads waiting for it and whether anyone read it. A dependent stage
 * is one of these; the futures the loop hands out ({@link OwnedFuture}) extend it.
 */
class BoundFuture<T> extends LoopFuture<T> {

    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(BoundFuture.class, "waiters", Waiters.class);
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

    /** @param owner the loop that completes this future */
    BoundFuture(FutureOwner owner) {
        this.loop = Objects.requireNonNull(owner, "owner");
    }

    /** @return the loop that completes this future, as the engine sees it */
    final FutureOwner futureOwner() {
        return loop;
    }

    @Override
    public EventLoop loop() {
        return loop.loop();
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
    CompletableFuture<T> registerWaker(BiConsumer<? super T, ? super Throwable> waker) {
        return whenComplete(waker);
    }

    /**
     * For the engine: whether a thread is blocked waiting for this future now.
     * @return {@code true} while a {@code get}, {@code join} or {@code await} is waiting
     */
    final boolean hasWaiters() {
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

    /** Every dependent stage is a {@code LoopFuture} of the same loop, and counts as a reader. */
    @Override
    public <U> LoopFuture<U> newIncompleteFuture() {
        observed = true;
        return new BoundFuture<>(loop);
    }

    @Override
    public String toString() {
        return super.toString() + "[" + loop.name() + "]";
    }

    /**
     * For the engine: whether anyone read the outcome or chained on it.
     * @return {@code true} once observed
     */
    final boolean isObserved() {
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

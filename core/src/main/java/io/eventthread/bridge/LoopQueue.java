package io.eventthread.bridge;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A FIFO queue between plain threads and one {@link EventLoop}, with a face for each: asyncio's
 * {@code Queue} and {@code queue.Queue} in one. Items are non-null.
 *
 * <pre>{@code
 * LoopQueue<Integer> in = LoopQueue.unbounded(loop);
 * LoopQueue<Integer> out = LoopQueue.bounded(loop, 16);
 * // on the loop: take, transform, put, again
 * in.takeAsync().thenCompose(n -> out.putAsync(n + 1)).thenRun(...);
 * // on a plain thread
 * in.put(41);
 * int answer = out.take();
 * }</pre>
 *
 * <h2>Two faces</h2>
 * The loop face, {@link #putAsync} and {@link #takeAsync}, returns {@link LoopFuture}s completed on
 * the loop; waiters are served first come, first served. The thread face, {@link #put},
 * {@link #offer}, {@link #take} and {@link #poll}, blocks the calling thread; called on the loop
 * thread it throws {@link io.eventthread.BlockingOperationException} at once, since the loop would be
 * waiting for itself. Both faces share one line of waiters, so a thread and a loop task waiting to take are
 * served in the order their requests reached the loop.
 *
 * <h2>Why the state lives on the loop</h2>
 * The items and the waiters are touched only by the loop thread; a thread-face call sends its
 * request to the loop and waits on the request's future. So there is no lock to reason about, and
 * exactly-once delivery rests on one atomic step: the loop hands an item over by completing the
 * waiter's future, and a thread that gives up (timeout, interrupt) does so by cancelling that same
 * future. Whichever wins decides; if the thread's cancel loses, it takes the result it was given,
 * so an item is never both delivered and reported as not delivered. The cost: a thread-face call
 * takes a round trip to the loop, its timeout includes that trip (so a zero timeout, which does not
 * wait for the loop's answer, all but always times out), and a loop stuck in a callback stalls the
 * thread face with it.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops new puts and fails waiting putters; items already queued can still be
 * taken, and once none are left, takers fail. Failures are {@link ClosedException}s. When the
 * loop's group terminates, every future the loop handed out is cancelled, which wakes every waiter:
 * loop-face futures end in {@link CancellationException}, and thread-face calls throw
 * {@link ClosedException}. Until then, while a graceful shutdown drains, the queue keeps working on
 * both faces: a thread may still hand in the item that in-flight loop work is waiting for.
 *
 * <p>Loop-face futures are completed directly by the queue, so their non-async continuations
 * ({@code thenApply}, {@code thenCompose}, ...) run inside the queue call that served them; use
 * the {@code *Async} variants to hand them to the loop instead, for example to keep a long chain
 * of puts from growing the stack.
 *
 * @param <T> the item type
 */
public final class LoopQueue<T> {

    /** Waiter lines shorter than this are not searched for abandoned waiters. */
    private static final int PURGE_MIN = 64;

    private final EventLoop loop;
    private final int capacity;

    // loop-confined
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<LoopFuture<T>> takers = new ArrayDeque<>();
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();
    private int purgeAt = PURGE_MIN;
    private boolean serving;

    /** Written by any thread, acted on by the loop in {@link #serve()}. */
    private volatile boolean closed;

    private LoopQueue(EventLoop loop, int capacity) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.capacity = capacity;
    }

    /**
     * A queue without a bound: puts never wait.
     * @param loop the loop that owns the queue's state and completes its futures
     * @param <T> the item type
     * @return a new, open queue
     */
    public static <T> LoopQueue<T> unbounded(EventLoop loop) {
        return new LoopQueue<>(loop, Integer.MAX_VALUE);
    }

    /**
     * A queue holding at most {@code capacity} items: puts wait while it is full.
     * @param loop the loop that owns the queue's state and completes its futures
     * @param capacity at least 1
     * @param <T> the item type
     * @return a new, open queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <T> LoopQueue<T> bounded(EventLoop loop, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        return new LoopQueue<>(loop, capacity);
    }

    /**
     * The loop that owns this queue.
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    // ---------------------------------------------------------------- loop face

    /**
     * Puts an item, waiting for room if the queue is bounded and full. May be called from any
     * thread; the future completes on the loop.
     * @param item the item
     * @return a future completed with {@code null} once the item is in the queue, or failed with
     *         {@link ClosedException} if the queue is or gets closed first
     */
    public LoopFuture<Void> putAsync(T item) {
        Objects.requireNonNull(item, "item");
        LoopFuture<Void> request = loop.newFuture();
        send(request, () -> enqueuePutter(new Putter<>(item, request)));
        return request;
    }

    /**
     * Takes the head item, waiting for one if the queue is empty. May be called from any thread;
     * the future completes on the loop. Cancelling the future gives up the place in line; an item
     * is never lost to a cancelled taker.
     * @return a future completed with the item, or failed with {@link ClosedException} if the queue
     *         is closed and empty
     */
    public LoopFuture<T> takeAsync() {
        LoopFuture<T> request = loop.newFuture();
        send(request, () -> enqueueTaker(request));
        return request;
    }

    // ---------------------------------------------------------------- thread face

    /**
     * Puts an item, blocking while the queue is full.
     * @param item the item
     * @throws InterruptedException if interrupted before the item was accepted (if the loop accepted
     *         it first, returns normally with the interrupt flag set)
     * @throws ClosedException if the queue is closed or its loop has terminated
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #putAsync} there
     */
    public void put(T item) throws InterruptedException {
        Bridges.requireOffLoop(loop, "LoopQueue.put()", "putAsync()");
        try {
            awaitOutcome(putAsync(item), -1);
        } catch (TimeoutException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /**
     * Puts an item, blocking at most {@code timeout} while the queue is full.
     * @param item the item
     * @param timeout the longest wait, including the trip to the loop
     * @return {@code true} if the item was put, {@code false} if the time ran out first
     * @throws InterruptedException if interrupted before the item was accepted
     * @throws ClosedException if the queue is closed or its loop has terminated
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #putAsync} there
     */
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Bridges.requireOffLoop(loop, "LoopQueue.offer()", "putAsync()");
        try {
            awaitOutcome(putAsync(item), Bridges.saturatedNanos(timeout));
            return true;
        } catch (TimeoutException timedOut) {
            return false;
        }
    }

    /**
     * Takes the head item, blocking while the queue is empty.
     * @return the item
     * @throws InterruptedException if interrupted before an item was handed over (if the loop handed
     *         one over first, returns it with the interrupt flag set)
     * @throws ClosedException if the queue is closed and empty, or its loop has terminated
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #takeAsync} there
     */
    public T take() throws InterruptedException {
        Bridges.requireOffLoop(loop, "LoopQueue.take()", "takeAsync()");
        try {
            return awaitOutcome(takeAsync(), -1);
        } catch (TimeoutException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /**
     * Takes the head item, blocking at most {@code timeout} while the queue is empty.
     * @param timeout the longest wait, including the trip to the loop
     * @return the item, or {@code null} if the time ran out first
     * @throws InterruptedException if interrupted before an item was handed over
     * @throws ClosedException if the queue is closed and empty, or its loop has terminated
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #takeAsync} there
     */
    public T poll(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Bridges.requireOffLoop(loop, "LoopQueue.poll()", "takeAsync()");
        try {
            return awaitOutcome(takeAsync(), Bridges.saturatedNanos(timeout));
        } catch (TimeoutException timedOut) {
            return null;
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the queue: puts fail from now on, and so do waiting putters; takers still get the items
     * already queued, then fail. Idempotent; may be called from any thread. Failures are
     * {@link ClosedException}s.
     */
    public void close() {
        closed = true;
        // sent like any request, so that it still reaches the loop while a graceful shutdown drains
        LoopFuture<Void> closing = loop.newFuture();
        send(closing, () -> {
            serve();
            closing.complete(null);
        });
    }

    /**
     * Whether {@link #close()} was called.
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "LoopQueue[" + loop.name() + ", " + (capacity == Integer.MAX_VALUE ? "unbounded" : "capacity " + capacity)
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- on the loop

    /** The number of waiting takers and putters, abandoned ones included; loop thread only, for tests. */
    int waiting() {
        return takers.size() + putters.size();
    }

    private void send(LoopFuture<?> request, Runnable onLoop) {
        // not served once the loop terminates, even if queued before: it fails with
        // ClosedException, as a taker left waiting does (cancelled with every future the loop
        // handed out, which a waiting thread reports as ClosedException)
        Bridges.runOnLoop(loop, onLoop, closed -> request.completeExceptionally(new ClosedException(
                this + ": loop '" + loop.name() + "' is not running (" + loop.state() + ")", closed)));
    }

    private void enqueuePutter(Putter<T> putter) {
        if (putter.request.isDone()) {
            return; // the caller gave up before the request reached the loop
        }
        putters.addLast(putter);
        purgeIfLong();
        serve();
    }

    private void enqueueTaker(LoopFuture<T> taker) {
        if (taker.isDone()) {
            return;
        }
        takers.addLast(taker);
        purgeIfLong();
        serve();
    }

    /**
     * Matches putters with room and items with takers until nothing moves. Completing a future runs
     * its plain continuations right here, and they may call back into the queue; the
     * {@code serving} flag turns those calls into appends that this loop then serves, so no
     * continuation ever sees the queue half-updated. Every step first updates the queue and then
     * completes the future; if the completion fails (the waiter cancelled from another thread),
     * no continuation ran and the step is undone.
     */
    private void serve() {
        if (serving) {
            return;
        }
        serving = true;
        try {
            boolean moved;
            do {
                moved = false;
                while (!putters.isEmpty() && (closed || items.size() < capacity)) {
                    Putter<T> putter = putters.pollFirst();
                    if (closed) {
                        moved |= putter.request.completeExceptionally(closedFor("put"));
                        continue;
                    }
                    items.addLast(putter.item);
                    if (putter.request.complete(null)) {
                        moved = true;
                    } else {
                        items.pollLast();
                    }
                }
                while (!takers.isEmpty() && !items.isEmpty()) {
                    LoopFuture<T> taker = takers.pollFirst();
                    T item = items.pollFirst();
                    if (taker.complete(item)) {
                        moved = true;
                    } else {
                        items.addFirst(item);
                    }
                }
                if (closed && items.isEmpty()) {
                    while (!takers.isEmpty()) {
                        moved |= takers.pollFirst().completeExceptionally(closedFor("take"));
                    }
                }
            } while (moved);
        } finally {
            serving = false;
        }
    }

    /**
     * Drops abandoned waiters (cancelled by a timed-out thread or by their owner) once the lines
     * have doubled since the last sweep, so a thread polling an idle queue does not grow them
     * forever; amortised constant time per waiter.
     */
    private void purgeIfLong() {
        if (takers.size() + putters.size() < purgeAt) {
            return;
        }
        takers.removeIf(LoopFuture::isDone);
        putters.removeIf(p -> p.request.isDone());
        purgeAt = Math.max(PURGE_MIN, 2 * (takers.size() + putters.size()));
    }

    private ClosedException closedFor(String operation) {
        return new ClosedException(operation + " on closed " + this);
    }

    // ---------------------------------------------------------------- waiting threads

    /**
     * Waits for a request's outcome; on timeout or interrupt gives up by cancelling the request, and
     * if the cancel loses (the loop served it meanwhile) returns what the loop gave instead.
     */
    private <V> V awaitOutcome(LoopFuture<V> request, long timeoutNanos) throws InterruptedException, TimeoutException {
        try {
            if (timeoutNanos < 0) {
                request.get();
            } else {
                request.get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | CancellationException done) {
            // read below
        } catch (InterruptedException interrupted) {
            if (request.cancel(false)) {
                throw interrupted;
            }
            Thread.currentThread().interrupt();
        } catch (TimeoutException timedOut) {
            if (request.cancel(false)) {
                throw timedOut;
            }
        }
        return outcome(request);
    }

    private <V> V outcome(LoopFuture<V> done) {
        try {
            return done.getNow(null);
        } catch (CancellationException cancelled) {
            throw new ClosedException(this + ": the loop's group terminated", cancelled);
        } catch (CompletionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof ClosedException closedCause) {
                // a fresh exception, so the stack shows the caller; the cause shows the loop side
                throw new ClosedException(closedCause.getMessage(), closedCause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private record Putter<T>(T item, LoopFuture<Void> request) {
    }
}

package io.eventthread.bridge;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets loop code ask one plain thread to do something, and wait for it without blocking the loop:
 * control inverted: the plain thread serves, the loop asks. Useful when the work
 * must run on a particular thread, such as a UI thread or a library that is not thread-safe.
 *
 * <pre>{@code
 * ThreadInbox inbox = new ThreadInbox(loop);            // owned by this thread
 * loop.execute(() -> inbox.call(() -> counter.incrementAndGet())
 *         .thenAccept(n -> log.info("client got {}", n)));
 * while (running) {
 *     inbox.process(Duration.ofMillis(100));            // serve what the loop asked for
 *     // ... the owner thread's own work ...
 * }
 * inbox.close();
 * }</pre>
 *
 * <p>{@link #call} may be called from any thread and returns a future of the inbox's loop,
 * completed on the loop with what the request returned or threw. Only the owner thread serves
 * requests, with {@link #process()} or {@link #process(Duration)}; each serves the requests pending
 * when it starts, oldest first, so a request that a served one leads to waits for the next round.
 *
 * <p>Requests never hang: those made after {@link #close()}, and those still pending at close,
 * fail with {@link ClosedException}. A request whose future is already done (cancelled by the
 * caller, or by the group's termination) is skipped, not run.
 */
public final class ThreadInbox implements AutoCloseable {

    private final EventLoop loop;
    private final Thread owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Request<?>> pending = new ArrayDeque<>();
    private boolean closed;

    /**
     * Creates an inbox owned by the calling thread.
     * @param loop the loop whose futures {@link #call} returns
     * @throws IllegalStateException if called on a loop thread of the loop's group, which must never wait in
     *         {@link #process(Duration)}
     */
    public ThreadInbox(EventLoop loop) {
        this(loop, callerAsOwner(loop));
    }

    private static Thread callerAsOwner(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        for (EventLoop l : loop.group().loops()) {
            if (l.inEventLoop()) {
                throw new IllegalStateException("new ThreadInbox(loop) on loop thread '" + l.name()
                        + "' would make the loop its owner, and the owner waits in process(Duration): create it on the "
                        + "plain thread that will serve it, or name that thread with new ThreadInbox(loop, owner)");
            }
        }
        return Thread.currentThread();
    }

    /**
     * Creates an inbox owned by a given thread.
     * @param loop the loop whose futures {@link #call} returns
     * @param owner the only thread allowed to {@link #process()}; not a loop thread
     * @throws IllegalArgumentException if {@code owner} is a loop thread of the loop's group, which
     *         must never wait in {@link #process(Duration)}
     */
    public ThreadInbox(EventLoop loop, Thread owner) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.owner = Objects.requireNonNull(owner, "owner");
        for (EventLoop l : loop.group().loops()) {
            if (l.isLoopThread(owner)) {
                throw new IllegalArgumentException("owner: loop thread '" + owner.getName() + "' (expected: a plain "
                        + "thread; the owner waits in process(Duration), which would stall loop '" + l.name()
                        + "'; serve the inbox from a thread outside the loops)");
            }
        }
    }

    /**
     * Asks the owner thread to run {@code request}. May be called from any thread.
     * @param request the work, run on the owner thread by {@link #process()}
     * @param <T> the result type
     * @return a future of the inbox's loop, completed on the loop with the request's result or
     *         failure, or failed with {@link ClosedException} if the inbox closes before serving it
     */
    public <T> LoopFuture<T> call(Callable<T> request) {
        Objects.requireNonNull(request, "request");
        LoopFuture<T> reply = loop.newFuture();
        lock.lock();
        try {
            if (!closed) {
                pending.addLast(new Request<>(request, reply));
                arrived.signal();
                return reply;
            }
        } finally {
            lock.unlock();
        }
        reply.completeExceptionallyOnLoop(closedFailure("was closed before the request was made"));
        return reply;
    }

    /**
     * Serves the requests pending now, without waiting for any.
     * @return the number of requests run
     * @throws IllegalStateException if the calling thread is not the owner
     */
    public int process() {
        requireOwner("process()");
        return serve(takePending());
    }

    /**
     * Waits up to {@code timeout} for at least one request, then serves the requests pending.
     * @param timeout the longest wait for the first request
     * @return the number of requests run; 0 if none came in time or the inbox is closed
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the calling thread is not the owner
     */
    public int process(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        requireOwner("process(Duration)");
        long remaining = Bridges.saturatedNanos(timeout);
        List<Request<?>> batch;
        lock.lockInterruptibly();
        try {
            while (pending.isEmpty() && !closed && remaining > 0) {
                remaining = arrived.awaitNanos(remaining);
            }
            batch = drainLocked();
        } finally {
            lock.unlock();
        }
        return serve(batch);
    }

    /**
     * Closes the inbox: pending and later requests fail with {@link ClosedException}. Idempotent;
     * may be called from any thread.
     */
    @Override
    public void close() {
        List<Request<?>> unserved;
        lock.lock();
        try {
            closed = true;
            unserved = drainLocked();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Request<?> request : unserved) {
            request.reply.completeExceptionallyOnLoop(closedFailure("was closed before serving the request"));
        }
    }

    /**
     * The thread that serves requests.
     * @return the owner
     */
    public Thread owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "ThreadInbox[owner '" + owner.getName() + "', loop '" + loop.name() + "']";
    }

    private List<Request<?>> takePending() {
        lock.lock();
        try {
            return drainLocked();
        } finally {
            lock.unlock();
        }
    }

    private List<Request<?>> drainLocked() {
        List<Request<?>> batch = new ArrayList<>(pending);
        pending.clear();
        return batch;
    }

    private int serve(List<Request<?>> batch) {
        int served = 0;
        for (int i = 0; i < batch.size(); i++) {
            Request<?> request = batch.get(i);
            if (request.reply.isDone()) {
                continue;
            }
            served++;
            try {
                request.run();
            } catch (Error error) {
                // the owner's error is its own to handle, but the rest of the batch must not be lost
                putBack(batch.subList(i + 1, batch.size()));
                throw error;
            }
        }
        return served;
    }

    private void putBack(List<Request<?>> rest) {
        boolean closedMeanwhile;
        lock.lock();
        try {
            for (int i = rest.size() - 1; i >= 0; i--) {
                pending.addFirst(rest.get(i));
            }
            closedMeanwhile = closed;
        } finally {
            lock.unlock();
        }
        if (closedMeanwhile) {
            close(); // fails what we just put back, as close() promises
        }
    }

    private void requireOwner(String method) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("ThreadInbox." + method + " called on thread '"
                    + Thread.currentThread().getName() + "'; only the owner thread '" + owner.getName()
                    + "' may serve its requests");
        }
    }

    private ClosedException closedFailure(String what) {
        return new ClosedException(this + " " + what);
    }

    private record Request<T>(Callable<T> work, LoopFuture<T> reply) {

        /** Runs the work on the owner thread and completes the reply on the loop; rethrows Errors after replying. */
        void run() {
            T value;
            try {
                value = work.call();
            } catch (Throwable failure) {
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                reply.completeExceptionallyOnLoop(failure);
                if (failure instanceof Error error) {
                    throw error;
                }
                return;
            }
            reply.completeOnLoop(value);
        }
    }
}

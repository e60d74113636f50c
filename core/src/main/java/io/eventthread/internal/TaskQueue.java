package io.eventthread.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Iterator;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * A loop's task queue: a JCTools MPSC queue (chunks of {@value #CHUNK_SIZE}; the atomic,
 * field-updater flavour, because the {@code Unsafe} one warns on Java 24+ and will stop working)
 * with one consumer, the loop thread. With a capacity it counts every entry, the engine's own
 * included: a submission from outside the loop takes a place by CAS only while fewer than the
 * capacity are queued, so the bound is exact however many producers race; the loop's own
 * submissions and engine completions always get a place. Unbounded, it counts nothing.
 */
final class TaskQueue {

    /** Queue chunk size: one allocation per this many tasks in flight. */
    private static final int CHUNK_SIZE = 1024;
    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(TaskQueue.class, "queued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessagePassingQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(CHUNK_SIZE);
    private final int capacity;
    private final boolean bounded;
    /** With a capacity only: the entries queued. */
    private volatile int queued;

    TaskQueue(int capacity) {
        this.capacity = capacity;
        this.bounded = capacity != Integer.MAX_VALUE;
    }

    boolean bounded() {
        return bounded;
    }

    /**
     * Takes a place for a submission; call before {@link #offer}.
     * @param always the loop's own submission or an engine completion: never refused
     * @return {@code false} if the queue is full
     */
    boolean reserve(boolean always) {
        if (!bounded) {
            return true;
        }
        if (always) {
            QUEUED.getAndAdd(this, 1);
            return true;
        }
        int n;
        do {
            n = queued;
            if (n >= capacity) {
                return false;
            }
        } while (!QUEUED.compareAndSet(this, n, n + 1));
        return true;
    }

    void offer(Runnable task) {
        queue.offer(task);
    }

    /** Loop thread: the next entry, releasing its place; {@code null} if none. */
    Runnable relaxedPoll() {
        return released(queue.relaxedPoll());
    }

    /** Loop thread or under the sweep lock: the next entry, releasing its place; {@code null} if none. */
    Runnable poll() {
        return released(queue.poll());
    }

    private Runnable released(Runnable task) {
        if (task != null && bounded) {
            QUEUED.getAndAdd(this, -1);
        }
        return task;
    }

    /** Moves every entry to {@code into}. */
    void drainTo(Collection<Runnable> into) {
        Runnable task;
        while ((task = poll()) != null) {
            into.add(task);
        }
    }

    /**
     * Whether an entry is ready at the head, reading only the head's slot: for a consumer that
     * spins. It may miss an entry a producer is still publishing, so it is no substitute for
     * {@link #isEmpty()} where a wake-up depends on the answer. Reading the producers' index
     * instead, a spinning consumer would pull that line from them every few dozen nanoseconds
     * and slow every offer (with two producers, by about a tenth).
     */
    boolean headReady() {
        return queue.relaxedPeek() != null;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Any thread: iterates without consuming (only the loop thread may consume). */
    Iterator<Runnable> iterator() {
        return ((MpscUnboundedAtomicArrayQueue<Runnable>) queue).iterator();
    }
}

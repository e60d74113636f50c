package io.eventthread.bridge;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A flag that plain threads and loop code can both wait for: asyncio's
 * {@code Event} and {@code threading.Event} in one.
 *
 * <pre>{@code
 * LoopEvent initialized = new LoopEvent(loop);
 * LoopFuture<Integer> next = loop.submitAsync(() -> initialized.awaitAsync().thenApply(v -> config.value() + 1));
 * config.load();        // on the main thread
 * initialized.set();    // wakes the loop code
 * }</pre>
 *
 * <p>{@link #set()}, {@link #clear()} and {@link #isSet()} may be called from any thread.
 * {@link #awaitAsync()} is the loop's way to wait and {@link #await(Duration)} the plain thread's.
 * Whatever a thread wrote before {@code set()} is visible to the code that the event wakes.
 *
 * <p>As with asyncio, {@code set()} wakes everyone waiting at that moment, even if the event is
 * cleared again before they get to run. When the loop's group terminates, futures from
 * {@code awaitAsync()} still waiting are cancelled.
 *
 * <p>The state is a flag under a lock rather than loop-confined, so that {@code set()} and
 * {@code isSet()} answer at once on any thread, and {@code await} can use a plain condition wait.
 */
public final class LoopEvent {

    /** Waiter lists shorter than this are not searched for cancelled waiters. */
    private static final int PURGE_MIN = 64;

    private final EventLoop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private boolean set;
    /** Counts sets, so a thread that slept through a set-then-clear still knows it was woken. */
    private long sets;
    private final ArrayDeque<LoopFuture<Void>> waiters = new ArrayDeque<>();
    private int purgeAt = PURGE_MIN;

    /**
     * Creates a cleared event.
     * @param loop the loop that completes the futures of {@link #awaitAsync()}
     */
    public LoopEvent(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * Sets the flag and wakes every waiter, on both faces. Setting a set event does nothing.
     */
    public void set() {
        List<LoopFuture<Void>> woken;
        lock.lock();
        try {
            if (set) {
                return;
            }
            set = true;
            sets++;
            changed.signalAll();
            woken = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        // completed outside the lock: their continuations may call back into this event
        for (LoopFuture<Void> waiter : woken) {
            waiter.completeOnLoop(null);
        }
    }

    /** Clears the flag: later waiters wait for the next {@link #set()}. */
    public void clear() {
        lock.lock();
        try {
            set = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the flag is set.
     * @return {@code true} between a {@link #set()} and the next {@link #clear()}
     */
    public boolean isSet() {
        lock.lock();
        try {
            return set;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the flag on the loop: asyncio {@code await event.wait()}. May be called from any
     * thread; the future completes on the loop. Cancelling it stops waiting.
     * @return a future completed with {@code null} once the flag is set (at once if it is)
     */
    public LoopFuture<Void> awaitAsync() {
        LoopFuture<Void> waiter = loop.newFuture();
        lock.lock();
        try {
            if (!set) {
                if (waiters.size() >= purgeAt) {
                    // a loop waiting with timeouts on an event that is never set leaves cancelled waiters
                    waiters.removeIf(LoopFuture::isDone);
                    purgeAt = Math.max(PURGE_MIN, 2 * waiters.size());
                }
                waiters.addLast(waiter);
                return waiter;
            }
        } finally {
            lock.unlock();
        }
        waiter.completeOnLoop(null);
        return waiter;
    }

    /**
     * Waits for the flag on a plain thread: {@code threading.Event.wait(timeout)}.
     * @param timeout the longest wait; zero or negative does not wait
     * @return {@code true} if the flag was set, or was set while waiting (even if cleared again);
     *         {@code false} if the time ran out
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #awaitAsync()} there
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Bridges.requireOffLoop(loop, "LoopEvent.await()", "awaitAsync()");
        long remaining = Bridges.saturatedNanos(timeout);
        lock.lockInterruptibly();
        try {
            long setsAtStart = sets;
            while (!set && sets == setsAtStart) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LoopEvent[" + loop.name() + ", " + (isSet() ? "set" : "clear") + "]";
    }
}

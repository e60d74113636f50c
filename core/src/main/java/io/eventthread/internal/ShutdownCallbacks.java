package io.eventthread.internal;

import io.eventthread.LoopClock;
import io.eventthread.LoopHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A loop's {@code onShutdown} callbacks: registered from any thread, run on the loop when its
 * graceful shutdown begins; registered after that, run as soon as possible on the loop; after
 * termination, never — and then the handle says so ({@code isCancelled()}). Registration and the
 * shutdown's taking of the callbacks serialise on one lock, so each handle ends run or cancelled.
 */
final class ShutdownCallbacks {

    private final LoopContext loop;
    private final Lifecycle lifecycle;
    private final LoopClock clock;
    /** Reports what a callback threw, as a failed plain callback. */
    private final BiConsumer<Object, Throwable> failures;
    private final Object lock = new Object();
    /** Guarded by lock: registered and not yet taken by the shutdown. */
    private final List<OnShutdown> registered = new ArrayList<>();
    /** Guarded by lock: the shutdown took the callbacks (or termination cancelled them). */
    private boolean taken;

    ShutdownCallbacks(LoopContext loop, Lifecycle lifecycle, LoopClock clock, BiConsumer<Object, Throwable> failures) {
        this.loop = loop;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.failures = failures;
    }

    /** Any thread: a callback for the start of the shutdown. */
    LoopHandle register(Runnable callback) {
        OnShutdown handle = new OnShutdown(callback, clock.nanoTime());
        synchronized (lock) {
            if (!taken) {
                registered.add(handle);
                return handle;
            }
        }
        // the shutdown's callbacks were taken already: this one runs as soon as possible on the
        // loop, as an internal task whose termination contract cancels it if the loop ends first
        loop.executeInternal(handle);
        return handle;
    }

    /**
     * Loop thread, as the shutdown begins: runs the callbacks registered so far, each in the
     * task bracket ({@code bracket} returns whether to go on). Those the deadline cut off never
     * run: their handles are cancelled.
     */
    void runAll(Predicate<Runnable> bracket) {
        boolean goOn = true;
        for (OnShutdown callback : take()) {
            if (goOn) {
                goOn = bracket.test(callback);
            } else {
                callback.cancel();
            }
        }
    }

    /** At termination: callbacks the shutdown never ran (it never began on the loop) are cancelled. */
    void cancelRemaining() {
        for (OnShutdown callback : take()) {
            callback.cancel();
        }
    }

    private List<OnShutdown> take() {
        synchronized (lock) {
            taken = true;
            List<OnShutdown> all = new ArrayList<>(registered);
            registered.clear();
            return all;
        }
    }

    /** A registered shutdown callback; cancelling it deregisters it. */
    private final class OnShutdown implements LoopHandle, InternalTask {
        private final Runnable callback;
        private final long registeredAt;
        /** 0 pending, 1 ran, 2 cancelled; changed under the monitor. */
        private int fate;

        OnShutdown(Runnable callback, long registeredAt) {
            this.callback = callback;
            this.registeredAt = registeredAt;
        }

        /** On the loop: runs the callback unless it was cancelled. */
        @Override
        public void run() {
            synchronized (this) {
                if (fate != 0) {
                    return;
                }
                if (!loop.inEventLoop()) {
                    fate = 2; // not on its loop, which has therefore terminated: never
                    return;
                }
                fate = 1;
            }
            try {
                callback.run();
            } catch (Throwable failure) {
                failures.accept(callback, failure);
            }
        }

        /** The loop terminated before it could run: never, and the handle says so. */
        @Override
        public void runAtTermination() {
            cancel();
        }

        @Override
        public boolean cancel() {
            synchronized (this) {
                if (fate != 0) {
                    return false;
                }
                fate = 2;
            }
            synchronized (lock) {
                registered.remove(this);
            }
            return true;
        }

        @Override
        public synchronized boolean isCancelled() {
            return fate == 2;
        }

        @Override
        public long when() {
            return registeredAt;
        }

        @Override
        public String toString() {
            return "on shutdown: " + callback;
        }
    }
}

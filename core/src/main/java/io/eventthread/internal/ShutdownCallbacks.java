package io.eventthread.internal;

import io.eventthread.LoopHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A loop's {@code onShutdown} callbacks: registered from any thread, run on the loop when its
 * graceful shutdown begins; registered after that, run as soon as possible on the loop; after
 * termination, never.
 */
final class ShutdownCallbacks {

    private final LoopContext loop;
    private final Lifecycle lifecycle;
    private final io.eventthread.LoopClock clock;
    /** Reports what a callback threw, as a failed plain callback. */
    private final BiConsumer<Object, Throwable> failures;
    private final CopyOnWriteArrayList<OnShutdown> callbacks = new CopyOnWriteArrayList<>();
    /** Set on the loop thread once the callbacks have run; later registrations run at once. */
    private volatile boolean ran;

    ShutdownCallbacks(LoopContext loop, Lifecycle lifecycle, io.eventthread.LoopClock clock, BiConsumer<Object, Throwable> failures) {
        this.loop = loop;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.failures = failures;
    }

    /** Any thread: a callback for the start of the shutdown. */
    LoopHandle register(Runnable callback) {
        OnShutdown handle = new OnShutdown(callback, clock.nanoTime());
        if (lifecycle.isTerminated()) {
            handle.cancel();
            return handle;
        }
        callbacks.add(handle);
        if (ran && callbacks.remove(handle)) {
            // the shutdown's callbacks already ran: run this one as soon as possible on the loop
            loop.executeInternal(handle::run);
        }
        return handle;
    }

    /**
     * Loop thread, as the shutdown begins: runs the callbacks registered so far, each in the
     * task bracket ({@code bracket} returns whether to go on). Those the deadline cut off never
     * run: their handles are cancelled.
     */
    void runAll(java.util.function.Predicate<Runnable> bracket) {
        ran = true;
        boolean goOn = true;
        for (OnShutdown callback : callbacks) {
            if (goOn) {
                goOn = bracket.test(callback);
            } else {
                callback.cancel();
            }
        }
        callbacks.clear();
    }

    /** A registered shutdown callback; cancelling it deregisters it. */
    private final class OnShutdown implements LoopHandle, Runnable {
        private final Runnable callback;
        private final long registeredAt;
        private volatile boolean cancelled;
        private volatile boolean done;

        OnShutdown(Runnable callback, long registeredAt) {
            this.callback = callback;
            this.registeredAt = registeredAt;
        }

        @Override
        public void run() {
            if (cancelled || done || !loop.inEventLoop()) {
                return; // cancelled, already run, or the loop terminated before it could run
            }
            done = true;
            try {
                callback.run();
            } catch (Throwable failure) {
                failures.accept(callback, failure);
            }
        }

        @Override
        public boolean cancel() {
            if (cancelled || done) {
                return false;
            }
            cancelled = true;
            callbacks.remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
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

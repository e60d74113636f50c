package io.eventthread.internal;

import io.eventthread.EventLoop;

/**
 * Which loop the calling thread runs, for {@code EventLoop.current()}. A loop thread records its
 * loop once, when its run loop starts, and forgets it when the run loop (termination sweep
 * included) has ended: nothing is done per callback. A plain {@code ThreadLocal}, not an
 * inheritable one: a thread a callback starts is not a loop thread.
 */
public final class RunningLoop {

    private static final ThreadLocal<EventLoop> LOOP = new ThreadLocal<>();

    private RunningLoop() {
    }

    /** @return the loop whose thread is calling, or {@code null} off every loop thread */
    public static EventLoop get() {
        return LOOP.get();
    }

    static void enter(EventLoop loop) {
        LOOP.set(loop);
    }

    static void exit() {
        LOOP.remove();
    }
}

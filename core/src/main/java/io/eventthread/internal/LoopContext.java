package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopState;

/**
 * What the instruments and the shutdown read of a loop: its identity, thread, state and sizes,
 * and a way to queue an engine-internal task. The loop core implements it; they never see it.
 */
interface LoopContext {

    EventLoop loop();

    String name();

    Thread thread();

    boolean inEventLoop();

    LoopState state();

    int queueSize();

    /** @return whether the loop thread is parked (or about to park) in its idle wait */
    boolean isParked();

    int pendingTimers();

    void executeInternal(InternalTask task);

    /** @return where {@code task} was submitted, in debug mode; {@code null} otherwise */
    Throwable originOf(Object task);
}

package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.time.Duration;

/**
 * Where blocking-call detection ({@code io.eventthread.internal.jfr}) hands what it finds on one
 * loop's thread: counted for {@link io.eventthread.LoopStats#blockingCalls()} and sent to the
 * listeners on their notifier thread, as every listener event (a dropped one counts in
 * {@link io.eventthread.LoopStats#droppedEvents()}). The detector sees loops only through the API.
 */
public final class BlockingCalls {

    private final LoopCore core;

    private BlockingCalls(LoopCore core) {
        this.core = core;
    }

    /**
     * @param loop a loop of an {@link io.eventthread.EventThread}
     * @return where to report the blocking calls found on its thread
     * @throws IllegalArgumentException for another implementation of {@link EventLoop}
     */
    public static BlockingCalls of(EventLoop loop) {
        if (!(loop instanceof DefaultEventLoop engine)) {
            throw new IllegalArgumentException("loop: " + loop + " (expected: a loop of an EventThread)");
        }
        return new BlockingCalls(engine.core);
    }

    /**
     * A blocking call was found on the loop thread: count it and tell the listeners.
     * @param call what blocked
     * @param duration how long
     * @param stack the loop thread's stack at the call
     */
    public void found(String call, Duration duration, StackTraceElement[] stack) {
        core.blockingCallFound(call, duration, stack);
    }
}

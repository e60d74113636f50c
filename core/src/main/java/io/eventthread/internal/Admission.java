package io.eventthread.internal;

import java.util.concurrent.RejectedExecutionException;

/**
 * Turns the {@link Lifecycle}'s admission decision into rejections: while running a loop takes
 * work from anyone; while shutting down, from its own callbacks or for work it already owns
 * ({@code owned}); never before start or after termination; and, with a bounded queue, not from
 * outside the loop while the queue is full ({@link TaskQueue} keeps that bound exact).
 * Every rejection is counted and reported to the listeners with the message the caller gets.
 */
final class Admission {

    private final LoopContext loop;
    private final Lifecycle lifecycle;
    private final LoopSettings settings;
    private final LoopCounters counters;
    private final ListenerDispatch listeners;

    Admission(LoopContext loop, Lifecycle lifecycle, LoopSettings settings, LoopCounters counters,
            ListenerDispatch listeners) {
        this.loop = loop;
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.counters = counters;
        this.listeners = listeners;
    }

    /** Whether the loop takes new work in its current state. */
    boolean accepts(boolean owned) {
        return lifecycle.admits(owned, loop.thread());
    }

    /** Throws unless the loop takes new work in its current state. */
    void requireAccepting(Object task, boolean owned) {
        if (!lifecycle.admits(owned, loop.thread())) {
            throw reject(task, lifecycle.refusal());
        }
    }

    /** The rejection of a submission from outside the loop that found the bounded queue full. */
    RejectedExecutionException full(Object task) {
        return reject(task, "its queue is full (capacity " + settings.queueCapacity() + ")");
    }

    RejectedExecutionException reject(Object task, String why) {
        String message = "Event loop '" + loop.name() + "' rejected " + Failures.describe(task) + ": " + why;
        counters.rejected();
        listeners.notifyFailure(l -> l.rejected(loop.loop(), message));
        return new RejectedExecutionException(message);
    }
}

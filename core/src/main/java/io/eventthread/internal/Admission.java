package io.eventthread.internal;

import java.util.concurrent.RejectedExecutionException;

/**
 * Whether a loop takes a submission: while running, from anyone; while shutting down, from its
 * own callbacks or for work it already owns ({@code internal}); never before start or after
 * termination; and, with a bounded queue, not from outside the loop while the queue is full
 * ({@link TaskQueue} keeps that bound exact).
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
    boolean accepts(boolean internal) {
        int s = lifecycle.value();
        return s == Lifecycle.RUNNING || s == Lifecycle.SHUTTING_DOWN && (internal || loop.inEventLoop());
    }

    /** Throws unless the loop takes new work in its current state. */
    void requireAccepting(Object task, boolean internal) {
        if (!accepts(internal)) {
            int s = lifecycle.value();
            throw reject(task, s == Lifecycle.NEW ? "it has not been started"
                    : s == Lifecycle.SHUTTING_DOWN ? "it is shutting down" : "it has terminated");
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

package io.eventthread;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a graceful shutdown of an {@link EventThread} did, from
 * {@link EventThread#shutdownGracefully(Duration)} or {@link EventThread#terminationFuture()}.
 *
 * @param outcome how it ended
 * @param duration from the shutdown request to termination
 * @param tasksRunDuringDrain tasks that ran between the request and termination
 * @param tasksCancelled queued tasks and in-flight work cancelled at the deadline
 * @param timersCancelled timers cancelled, by the {@link TimerShutdownPolicy} or at the deadline
 * @param stuckLoops for a {@link Outcome#FORCED FORCED} shutdown, the stack of each loop thread
 *        that did not return from its callback, by thread name
 * @param unobservedFailures failures of futures that nobody ever read (asyncio's "Task exception
 *        was never retrieved"), oldest first
 */
public record ShutdownReport(Outcome outcome, Duration duration, long tasksRunDuringDrain,
        long tasksCancelled, long timersCancelled, Map<String, List<StackTraceElement>> stuckLoops,
        List<Throwable> unobservedFailures) {

    /** How a shutdown ended, from best to worst. */
    public enum Outcome {
        /** All queued and in-flight work finished before the deadline. */
        GRACEFUL,
        /** The deadline passed with work pending; that work was cancelled. */
        CANCELLED,
        /**
         * A loop thread was still inside a callback at the deadline and did not return after being
         * interrupted; it was left behind and its pending futures were cancelled.
         */
        FORCED
    }

    /**
     * Creates a report; the collections are copied.
     */
    public ShutdownReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(duration, "duration");
        stuckLoops = Map.copyOf(stuckLoops);
        unobservedFailures = List.copyOf(unobservedFailures);
    }

    /**
     * Whether all work finished in time.
     * @return {@code true} for {@link Outcome#GRACEFUL}
     */
    public boolean isGraceful() {
        return outcome == Outcome.GRACEFUL;
    }

    @Override
    public String toString() {
        return "ShutdownReport[" + outcome + " in " + duration.toMillis() + " ms: "
                + tasksRunDuringDrain + " tasks run during drain, " + tasksCancelled
                + " tasks cancelled, " + timersCancelled + " timers cancelled, "
                + stuckLoops.size() + " stuck loops, " + unobservedFailures.size()
                + " unobserved failures]";
    }
}

package io.eventthread.internal.jfr;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The start-up window in which blocking calls are held: dropped, not logged, counted or sent to
 * listeners, and summarised in one line when the window closes. Class loading, connection pools
 * and caches block while an application starts, which is no news (Vert.x users asked for this in
 * eclipse-vertx/vert.x#1379); deferring the warnings instead would only move the same noise to the
 * moment the application is up.
 *
 * <p>The window is over once {@code period} has passed since {@link #begin} and, if there is one,
 * the {@code until} stage has completed (normally or not); {@link #begin}'s {@code over} then runs
 * once, and the detector closes the window when the marker that commits reaches its event stream
 * ({@link #close}). So a call is held if it returned before the quiet period ended, judged in the
 * stream's own order rather than by when the stream gets round to it. The stream's thread holds and
 * closes; the group's termination may close too, hence the lock (taken only for calls found).
 */
final class QuietPeriod {

    private final Duration period;
    private final CompletionStage<?> until;
    /** Conditions not yet over: the time, the signal and {@link #begin} itself. */
    private final AtomicInteger pending = new AtomicInteger();
    private boolean closed;
    private long held;
    private String first;

    /**
     * @param period how long after {@link #begin} calls are held; zero for no time
     * @param until a signal calls are also held until, or {@code null}
     */
    QuietPeriod(Duration period, CompletionStage<?> until) {
        this.period = period;
        this.until = until;
        this.closed = isEmpty();
    }

    /** Whether the window is empty (no time and no signal): nothing is ever held. */
    boolean isEmpty() {
        return period.isZero() && until == null;
    }

    /**
     * Opens the window: the group has started.
     * @param over runs once when the time has passed and the signal has completed
     * @param after runs a task once a duration has passed, on another thread
     */
    void begin(Runnable over, BiConsumer<Duration, Runnable> after) {
        pending.set(1 + (period.isZero() ? 0 : 1) + (until == null ? 0 : 1));
        Runnable done = () -> {
            if (pending.decrementAndGet() == 0) {
                over.run();
            }
        };
        if (!period.isZero()) {
            after.accept(period, done);
        }
        if (until != null) {
            until.whenComplete((value, failure) -> done.run());
        }
        done.run();
    }

    /** @return whether a call delivered now is held */
    synchronized boolean holds() {
        return !closed;
    }

    /**
     * Counts a held call; the first is named in the summary.
     * @param description the loop, the call and the code that made it
     */
    synchronized void hold(String description) {
        if (held++ == 0) {
            first = description;
        }
    }

    /**
     * Closes the window, once: its end reached the stream.
     * @return the summary to log, or {@code null} if it was closed already
     */
    synchronized String close() {
        if (closed) {
            return null;
        }
        closed = true;
        return summary("blocking-call detection: quiet period over, blocking calls are reported from now on");
    }

    /**
     * Closes the window as the group terminates, so held calls are summarised even when the
     * group stops before the quiet period is over.
     * @return the summary to log if calls were held and none went out yet, else {@code null}
     */
    synchronized String closeAtShutdown() {
        boolean wasOpen = !closed;
        closed = true;
        return wasOpen && held > 0
                ? summary("blocking-call detection: the group terminated during the quiet period") : null;
    }

    private String summary(String what) {
        return held == 0 ? what
                : what + "; " + held + " held during it, not logged or counted (the first: " + first + ")";
    }
}

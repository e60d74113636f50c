package io.eventthread.internal.jfr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The start-up window in which blocking calls are held: dropped, not logged, counted or sent to
 * listeners, and summarised in one line when the window closes. Class loading, connection pools
 * and caches block while an application starts, which is no news (Vert.x users asked for this in
 * eclipse-vertx/vert.x#1379); deferring the warnings instead would only move the same noise to the
 * moment the application is up. A call is judged by when it began: it is held if it began before
 * the window closed, even when the event stream delivers it later.
 *
 * <p>The window closes once {@code period} has passed since {@link #begin()} and, if there is one,
 * the {@code until} stage has completed (normally or not), or when the group closes first. The
 * event stream's thread calls {@link #holds}, {@link #hold} and {@link #closeIfOver}; the group's
 * termination {@link #closeAtShutdown}, hence the lock (taken only for blocking calls found).
 */
final class QuietPeriod {

    private final Duration period;
    private final CompletionStage<?> until;
    private final Clock clock;
    private Instant timeEnds;
    /** When {@code until} completed; {@code null} while it has not. */
    private volatile Instant signalled;
    private boolean closed;
    private long held;
    private String first;

    /**
     * @param period how long after {@link #begin()} calls are held; zero for no time
     * @param until a signal calls are also held until, or {@code null}
     * @param clock the wall clock Flight Recorder's event times are on
     */
    QuietPeriod(Duration period, CompletionStage<?> until, Clock clock) {
        this.period = period;
        this.until = until;
        this.clock = clock;
    }

    /** Whether the window is empty (no time and no signal): nothing is ever held. */
    boolean isEmpty() {
        return period.isZero() && until == null;
    }

    /** Opens the window: the group has started. */
    void begin() {
        closed = isEmpty();
        timeEnds = clock.instant().plus(period);
        if (until == null) {
            signalled = Instant.MIN;
        } else {
            until.whenComplete((value, failure) -> signalled = clock.instant());
        }
    }

    /**
     * @param began when the blocking call began
     * @return whether it is held
     */
    synchronized boolean holds(Instant began) {
        if (closed || timeEnds == null) {
            return false;
        }
        Instant signal = signalled;
        return began.isBefore(timeEnds) || signal == null || began.isBefore(signal);
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
     * Closes the window if it is over, once.
     * @return the summary to log when this call closed it, else {@code null}
     */
    synchronized String closeIfOver() {
        if (closed || timeEnds == null || signalled == null || clock.instant().isBefore(timeEnds)) {
            return null;
        }
        closed = true;
        return summary("blocking-call detection: quiet period over, blocking calls are reported from now on");
    }

    /**
     * Closes the window as the group terminates, so held calls are summarised even when the
     * group stops before the quiet period is over.
     * @return the summary to log if calls were held and no summary went out yet, else {@code null}
     */
    synchronized String closeAtShutdown() {
        if (closed || held == 0) {
            closed = true;
            return null;
        }
        closed = true;
        return summary("blocking-call detection: the group terminated during the quiet period");
    }

    private String summary(String what) {
        return held == 0 ? what : what + "; " + held + " held during it, not logged or counted (the first: " + first + ")";
    }
}

package io.eventthread.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;

/**
 * When a loop's {@link StuckWatch} samples: every period from start to termination, except while
 * the loop is parked — nothing can be slow or stuck then. After {@value #DORMANT_AFTER} samples in
 * a row that find the loop parked, having run nothing, the schedule is cancelled (dormant) and the
 * loop re-arms it when it next wakes, so an idle group costs no watchdog wake-ups. A Dekker pair
 * keeps a waking loop from being left unwatched — the watch writes {@code dormant} then reads
 * {@code parked}; the loop writes {@code parked = 0} ({@link IdleStrategy}) then reads
 * {@code dormant} ({@link #loopWoke}) — and the schedule changes hands only under this object's lock.
 */
final class WatchSchedule {

    /** Samples in a row that must find the loop parked, having run nothing, before the watch sleeps. */
    private static final int DORMANT_AFTER = 2;
    private static final VarHandle DORMANT;

    static {
        try {
            DORMANT = MethodHandles.lookup().findVarHandle(WatchSchedule.class, "dormant", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopContext loop;
    private final LoopCounters counters;
    private final StuckWatch watch;
    // guarded by this: the current schedule, null while dormant or stopped
    private ScheduledFuture<?> schedule;
    private boolean stopped;
    /** True while the watch is not scheduled because the loop parked; the loop re-arms it. */
    private volatile boolean dormant;
    // watchdog thread only
    private int parkedSamples;
    private long tasksRunAtLastSample = -1;

    WatchSchedule(LoopContext loop, LoopCounters counters, StuckWatch watch) {
        this.loop = loop;
        this.counters = counters;
        this.watch = watch;
    }

    void start() {
        rearm();
    }

    synchronized void stop() {
        stopped = true;
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    /** Loop thread, after every idle wait: re-arms the watch if it went dormant. One volatile read. */
    void loopWoke() {
        if (dormant && DORMANT.compareAndSet(this, true, false)) {
            rearm();
        }
    }

    private synchronized void rearm() {
        if (!stopped && schedule == null) {
            parkedSamples = 0;
            schedule = Watchdog.every(this::sample, watch.periodNanos());
        }
    }

    /** Watchdog thread, every period. */
    private void sample() {
        long ran = counters.tasksRun();
        boolean idleNow = watch.sample() && loop.isParked() && ran == tasksRunAtLastSample;
        tasksRunAtLastSample = ran;
        if (!idleNow) {
            parkedSamples = 0;
        } else if (++parkedSamples >= DORMANT_AFTER) {
            sleep();
        }
    }

    private void sleep() {
        dormant = true;
        if (!loop.isParked()) {
            // it woke meanwhile: if it has not seen `dormant` yet, take it back and keep sampling
            if (DORMANT.compareAndSet(this, true, false)) {
                parkedSamples = 0;
                return;
            }
        }
        synchronized (this) {
            // still dormant: the loop has not re-armed, and will when it wakes
            if (dormant && schedule != null) {
                schedule.cancel(false);
                schedule = null;
            }
        }
    }

    /** For tests: whether the watch is currently not sampling because the loop is parked. */
    boolean isDormant() {
        return dormant;
    }
}

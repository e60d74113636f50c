package io.eventthread;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable snapshot of one loop's figures, from {@link EventLoop#stats()}. Counters are
 * cumulative since the loop started; read two snapshots and subtract for a rate. Utilization over
 * a window is {@code Δbusy / Δelapsed}.
 *
 * <p>A class with accessors rather than a record, so that figures can be added without breaking
 * callers; {@link #builder()} makes one (for tests of code that reads stats).
 */
public final class LoopStats {

    private final String loopName;
    private final LoopState state;
    private final boolean stuck;
    private final int queueDepth;
    private final int pendingTimers;
    private final long tasksCompleted;
    private final long tasksFailed;
    private final long tasksRejected;
    private final long slowCallbacks;
    private final long stuckIncidents;
    private final Duration busyTime;
    private final Duration elapsed;
    private final Duration currentCallbackTime;
    private final LoopDelay delay;
    private final long droppedEvents;
    private final long blockingCalls;

    private LoopStats(Builder b) {
        this.loopName = Objects.requireNonNull(b.loopName, "loopName");
        this.state = Objects.requireNonNull(b.state, "state");
        this.stuck = b.stuck;
        this.queueDepth = b.queueDepth;
        this.pendingTimers = b.pendingTimers;
        this.tasksCompleted = b.tasksCompleted;
        this.tasksFailed = b.tasksFailed;
        this.tasksRejected = b.tasksRejected;
        this.slowCallbacks = b.slowCallbacks;
        this.stuckIncidents = b.stuckIncidents;
        this.busyTime = b.busyTime;
        this.elapsed = b.elapsed;
        this.currentCallbackTime = b.currentCallbackTime;
        this.delay = b.delay;
        this.droppedEvents = b.droppedEvents;
        this.blockingCalls = b.blockingCalls;
    }

    /** @return a builder with zero figures, for a loop named {@code "loop"} in state {@code NEW} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the loop thread's name */
    public String loopName() {
        return loopName;
    }

    /** @return the life-cycle state */
    public LoopState state() {
        return state;
    }

    /** @return whether the loop is inside a callback that has run longer than the stuck threshold */
    public boolean stuck() {
        return stuck;
    }

    /** @return tasks accepted and not yet started */
    public int queueDepth() {
        return queueDepth;
    }

    /** @return timers scheduled and not yet due or cancelled */
    public int pendingTimers() {
        return pendingTimers;
    }

    /** @return tasks and timer callbacks that returned normally */
    public long tasksCompleted() {
        return tasksCompleted;
    }

    /** @return tasks and timer callbacks that threw (not also counted as completed) */
    public long tasksFailed() {
        return tasksFailed;
    }

    /** @return submissions rejected because of shutdown or a full queue */
    public long tasksRejected() {
        return tasksRejected;
    }

    /** @return callbacks that ran at least the slow-callback threshold */
    public long slowCallbacks() {
        return slowCallbacks;
    }

    /** @return times the loop was flagged stuck */
    public long stuckIncidents() {
        return stuckIncidents;
    }

    /** @return total time spent inside callbacks */
    public Duration busyTime() {
        return busyTime;
    }

    /** @return time since the loop started (to its termination, once terminated) */
    public Duration elapsed() {
        return elapsed;
    }

    /** @return how long the current callback has run, zero when idle */
    public Duration currentCallbackTime() {
        return currentCallbackTime;
    }

    /** @return how late work started compared with when it was due */
    public LoopDelay delay() {
        return delay;
    }

    /** @return listener events dropped because listeners fell behind */
    public long droppedEvents() {
        return droppedEvents;
    }

    /**
     * Blocking calls (sleeps, socket and file I/O, contended monitors, parks) found on the loop
     * thread inside callbacks by blocking-call detection; always 0 when it is off (see
     * {@link EventThread.Builder#blockingDetection(boolean)}). Counted when the JDK's event is
     * delivered, about a second after the call.
     * @return blocking calls found so far
     */
    public long blockingCalls() {
        return blockingCalls;
    }

    /**
     * The fraction of {@link #elapsed()} spent in callbacks since the loop started, 0 to 1.
     * @return the lifetime utilization
     */
    public double utilization() {
        long e = elapsed.toNanos();
        return e <= 0 ? 0.0 : Math.min(1.0, (double) busyTime.toNanos() / e);
    }

    @Override
    public String toString() {
        return "LoopStats[" + loopName + ", " + state + (stuck ? ", stuck" : "") + ", queueDepth=" + queueDepth
                + ", pendingTimers=" + pendingTimers + ", completed=" + tasksCompleted + ", failed=" + tasksFailed
                + ", rejected=" + tasksRejected + ", slow=" + slowCallbacks + ", stuckIncidents=" + stuckIncidents
                + ", busy=" + busyTime + ", elapsed=" + elapsed + ", current=" + currentCallbackTime + ", delay=" + delay
                + ", droppedEvents=" + droppedEvents + ", blockingCalls=" + blockingCalls + "]";
    }

    /** Assembles a {@link LoopStats}; every figure starts at zero. */
    public static final class Builder {
        private String loopName = "loop";
        private LoopState state = LoopState.NEW;
        private boolean stuck;
        private int queueDepth;
        private int pendingTimers;
        private long tasksCompleted;
        private long tasksFailed;
        private long tasksRejected;
        private long slowCallbacks;
        private long stuckIncidents;
        private Duration busyTime = Duration.ZERO;
        private Duration elapsed = Duration.ZERO;
        private Duration currentCallbackTime = Duration.ZERO;
        private LoopDelay delay = new LoopDelay(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        private long droppedEvents;
        private long blockingCalls;

        private Builder() {
        }

        /** @param v the loop name @return this builder */
        public Builder loopName(String v) { loopName = v; return this; }
        /** @param v the state @return this builder */
        public Builder state(LoopState v) { state = v; return this; }
        /** @param v whether stuck @return this builder */
        public Builder stuck(boolean v) { stuck = v; return this; }
        /** @param v the queue depth @return this builder */
        public Builder queueDepth(int v) { queueDepth = v; return this; }
        /** @param v the pending timers @return this builder */
        public Builder pendingTimers(int v) { pendingTimers = v; return this; }
        /** @param v the completed tasks @return this builder */
        public Builder tasksCompleted(long v) { tasksCompleted = v; return this; }
        /** @param v the failed tasks @return this builder */
        public Builder tasksFailed(long v) { tasksFailed = v; return this; }
        /** @param v the rejected submissions @return this builder */
        public Builder tasksRejected(long v) { tasksRejected = v; return this; }
        /** @param v the slow callbacks @return this builder */
        public Builder slowCallbacks(long v) { slowCallbacks = v; return this; }
        /** @param v the stuck incidents @return this builder */
        public Builder stuckIncidents(long v) { stuckIncidents = v; return this; }
        /** @param v the busy time @return this builder */
        public Builder busyTime(Duration v) { busyTime = Objects.requireNonNull(v, "busyTime"); return this; }
        /** @param v the elapsed time @return this builder */
        public Builder elapsed(Duration v) { elapsed = Objects.requireNonNull(v, "elapsed"); return this; }
        /** @param v the current callback's time @return this builder */
        public Builder currentCallbackTime(Duration v) { currentCallbackTime = Objects.requireNonNull(v, "currentCallbackTime"); return this; }
        /** @param v the delay figures @return this builder */
        public Builder delay(LoopDelay v) { delay = Objects.requireNonNull(v, "delay"); return this; }
        /** @param v the dropped listener events @return this builder */
        public Builder droppedEvents(long v) { droppedEvents = v; return this; }
        /** @param v the blocking calls found @return this builder */
        public Builder blockingCalls(long v) { blockingCalls = v; return this; }

        /** @return the snapshot */
        public LoopStats build() {
            return new LoopStats(this);
        }
    }
}

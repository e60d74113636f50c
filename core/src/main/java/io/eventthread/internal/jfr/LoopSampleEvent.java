package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A periodic sample of one loop's figures, from its stats. */
@Name("io.eventthread.LoopSample")
@Label("Loop Sample")
@Description("Periodic figures of an EventThread loop: queue depth, timers, delay, busy time")
@Category({"EventThread", "Loop"})
@Period("1 s")
@StackTrace(false)
public final class LoopSampleEvent extends jdk.jfr.Event {
    @Label("Loop")
    public String loop;

    @Label("State")
    public String state;

    @Label("Queue Depth")
    @Description("Tasks accepted and not yet started")
    public int queueDepth;

    @Label("Pending Timers")
    public int pendingTimers;

    @Label("Recent Max Delay")
    @Description("The longest lateness of work over the last few seconds")
    @Timespan(Timespan.NANOSECONDS)
    public long recentMaxDelay;

    @Label("Delay p99")
    @Description("Upper bound of the 99th percentile of lateness since the loop started")
    @Timespan(Timespan.NANOSECONDS)
    public long delayP99;

    @Label("Busy Time")
    @Description("Total time spent in callbacks since the loop started")
    @Timespan(Timespan.NANOSECONDS)
    public long busyTime;

    @Label("Tasks Completed")
    public long tasksCompleted;

    @Label("Stuck")
    public boolean stuck;
}

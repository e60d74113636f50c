package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** An EventThread group terminated: its shutdown report. */
@Name("io.eventthread.Shutdown")
@Label("EventThread Shutdown")
@Description("An EventThread group terminated, with the outcome and counts of its shutdown report")
@Category({"EventThread"})
@StackTrace(false)
public final class ShutdownEvent extends jdk.jfr.Event {
    @Label("Group")
    public String group;

    @Label("Outcome")
    @Description("GRACEFUL, CANCELLED or FORCED")
    public String outcome;

    @Label("Shutdown Duration")
    @Description("From the shutdown request to termination")
    @Timespan(Timespan.NANOSECONDS)
    public long shutdownDuration;

    @Label("Tasks Run During Drain")
    public long tasksRunDuringDrain;

    @Label("Tasks Cancelled")
    public long tasksCancelled;

    @Label("Timers Cancelled")
    public long timersCancelled;

    @Label("Stuck Loops")
    @Description("Loop threads left behind in a callback (FORCED)")
    public int stuckLoops;

    @Label("Unobserved Failures")
    @Description("Failures of futures that nobody read")
    public int unobservedFailures;
}

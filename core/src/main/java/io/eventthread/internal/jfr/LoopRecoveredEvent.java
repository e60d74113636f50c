package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A loop reported stuck returned from its callback. */
@Name("io.eventthread.LoopRecovered")
@Label("Loop Recovered")
@Description("An EventThread loop reported stuck returned from the callback")
@Category({"EventThread", "Loop"})
@StackTrace(false)
public final class LoopRecoveredEvent extends jdk.jfr.Event {
    @Label("Loop")
    public String loop;

    @Label("Stuck For")
    @Description("How long the callback ran in total")
    @Timespan(Timespan.NANOSECONDS)
    public long stuckFor;
}

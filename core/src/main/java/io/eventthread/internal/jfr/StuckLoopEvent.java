package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A loop has been inside one callback longer than the stuck threshold. */
@Name("io.eventthread.StuckLoop")
@Label("Stuck Loop")
@Description("An EventThread loop has been inside one callback longer than the stuck threshold")
@Category({"EventThread", "Loop"})
@StackTrace(false)
public final class StuckLoopEvent extends jdk.jfr.Event {
    @Label("Loop")
    public String loop;

    @Label("Stuck For")
    @Description("How long the callback had run when the watchdog reported it")
    @Timespan(Timespan.NANOSECONDS)
    public long stuckFor;

    @Label("Stack")
    @Description("The loop thread's stack when it was reported, innermost frame first")
    public String stack;
}

package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A callback ran at least the slow-callback threshold. Committed after it returned. */
@Name("io.eventthread.SlowCallback")
@Label("Slow Loop Callback")
@Description("A callback on an EventThread loop ran at least the slow-callback threshold")
@Category({"EventThread", "Loop"})
@StackTrace(false) // committed on the notifier thread: its own stack says nothing
public final class SlowCallbackEvent extends jdk.jfr.Event {
    @Label("Loop")
    public String loop;

    @Label("Task")
    @Description("The task's label or toString")
    public String task;

    @Label("Duration")
    @Timespan(Timespan.NANOSECONDS)
    public long callbackDuration;

    @Label("Stack")
    @Description("The loop thread's stack while the callback ran, as the watchdog sampled it; empty if not sampled")
    public String stack;
}

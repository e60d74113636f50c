package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A blocking call made inside a callback on a loop thread, seen in the JDK's own events. */
@Name("io.eventthread.BlockingCall")
@Label("Blocking Call on Loop")
@Description("A callback on an EventThread loop thread blocked: sleep, socket or file I/O, monitor or park")
@Category({"EventThread", "Loop"})
@StackTrace(false)
public final class BlockingCallEvent extends jdk.jfr.Event {
    @Label("Loop")
    public String loop;

    @Label("Call")
    @Description("What blocked, for example 'Thread.sleep' or 'socket read from host:port'")
    public String call;

    @Label("Blocked For")
    @Timespan(Timespan.NANOSECONDS)
    public long blockedFor;

    @Label("Stack")
    @Description("The loop thread's stack at the call, innermost frame first")
    public String stack;
}

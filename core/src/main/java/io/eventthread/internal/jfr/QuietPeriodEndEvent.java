package io.eventthread.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The end of a group's quiet start for blocking-call detection, committed into the detector's own
 * event stream as a marker: the stream delivers in commit order, so every blocking call that
 * returned before the quiet period ended is delivered before it, however far the stream lags.
 * Off in other recordings.
 */
@Name("io.eventthread.BlockingQuietPeriodEnd")
@Label("Blocking Detection Quiet Period End")
@Description("A group's quiet start for blocking-call detection ended; blocking calls are reported from here on")
@Category({"EventThread", "Loop"})
@StackTrace(false)
@Enabled(false)
public final class QuietPeriodEndEvent extends jdk.jfr.Event {
    @Label("Detector")
    @Description("Which group's detector, unique in the process")
    public long detector;
}

package io.eventthread.internal.jfr;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopStats;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.Set;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.WeakHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Emits the {@code io.eventthread.*} Flight Recorder events. Nothing here is on a loop's hot
 * path: slow, stuck and recovered events arrive as listener calls on the notifier thread, the
 * per-loop sample is a periodic hook that reads {@link EventLoop#stats()} once per period of a
 * running recording, and the shutdown event is committed by an {@code onTermination} callback.
 * Each checks {@code shouldCommit()} before it builds a string, so without a recording the cost is
 * an allocation and a flag read per listener event.
 */
public final class LoopRecorder implements EventLoopListener {

    /** The listener the builder adds; stateless. */
    public static final LoopRecorder LISTENER = new LoopRecorder();

    private static final int STACK_FRAMES = 64;
    /** Weak: a group built and never started (so never terminated) is not kept alive here. */
    private static final Set<EventThread> GROUPS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static boolean hookAdded;
    private static volatile Boolean available;

    private LoopRecorder() {
    }

    /**
     * Whether Flight Recorder can be used in this JVM.
     * @return {@code false} if the {@code jdk.jfr} module is absent or disabled
     */
    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            boolean yes;
            try {
                yes = FlightRecorder.isAvailable();
            } catch (LinkageError e) {
                yes = false;
            }
            available = known = yes;
        }
        return known;
    }

    /**
     * Samples a group's loops periodically while a recording runs, and records its shutdown.
     * @param group the group, not yet terminated
     */
    public static void install(EventThread group) {
        if (!available()) {
            return;
        }
        addHookOnce();
        GROUPS.add(group);
        group.onTermination(report -> {
            GROUPS.remove(group);
            shutdown(group.name(), report);
        });
    }

    /**
     * Adds the periodic sample once Flight Recorder is initialized (at once if it already is):
     * adding a periodic event initializes it, which takes most of a second, a cost every
     * application would pay at its first build even if it never records.
     */
    private static synchronized void addHookOnce() {
        if (hookAdded) {
            return;
        }
        hookAdded = true;
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                FlightRecorder.addPeriodicEvent(LoopSampleEvent.class, LoopRecorder::sample);
            }
        });
    }

    /** The periodic hook: JFR calls it only while a recording has the sample enabled. */
    private static void sample() {
        List<EventThread> groups;
        synchronized (GROUPS) {
            groups = new ArrayList<>(GROUPS);
        }
        for (EventThread group : groups) {
            for (EventLoop loop : group.loops()) {
                LoopSampleEvent event = new LoopSampleEvent();
                if (!event.shouldCommit()) {
                    return;
                }
                LoopStats stats = loop.stats();
                event.loop = stats.loopName();
                event.state = stats.state().name();
                event.queueDepth = stats.queueDepth();
                event.pendingTimers = stats.pendingTimers();
                event.recentMaxDelay = stats.delay().recentMax().toNanos();
                event.delayP99 = stats.delay().p99().toNanos();
                event.busyTime = stats.busyTime().toNanos();
                event.tasksCompleted = stats.tasksCompleted();
                event.stuck = stats.stuck();
                event.commit();
            }
        }
    }

    static void shutdown(String group, ShutdownReport report) {
        ShutdownEvent event = new ShutdownEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.group = group;
        event.outcome = report.outcome().name();
        event.shutdownDuration = report.duration().toNanos();
        event.tasksRunDuringDrain = report.tasksRunDuringDrain();
        event.tasksCancelled = report.tasksCancelled();
        event.timersCancelled = report.timersCancelled();
        event.stuckLoops = report.stuckLoops().size();
        event.unobservedFailures = report.unobservedFailures().size();
        event.commit();
    }

    @Override
    public void slowCallback(EventLoop loop, String task, Duration duration, StackTraceElement[] stack) {
        SlowCallbackEvent event = new SlowCallbackEvent();
        if (event.shouldCommit()) {
            event.loop = loop.name();
            event.task = task;
            event.callbackDuration = duration.toNanos();
            event.stack = format(stack, STACK_FRAMES);
            event.commit();
        }
    }

    @Override
    public void stuck(EventLoop loop, Duration stuckFor, StackTraceElement[] stack) {
        StuckLoopEvent event = new StuckLoopEvent();
        if (event.shouldCommit()) {
            event.loop = loop.name();
            event.stuckFor = stuckFor.toNanos();
            event.stack = format(stack, STACK_FRAMES);
            event.commit();
        }
    }

    @Override
    public void recovered(EventLoop loop, Duration stuckFor) {
        LoopRecoveredEvent event = new LoopRecoveredEvent();
        if (event.shouldCommit()) {
            event.loop = loop.name();
            event.stuckFor = stuckFor.toNanos();
            event.commit();
        }
    }

    @Override
    public void blockingCall(EventLoop loop, String call, Duration duration, StackTraceElement[] stack) {
        BlockingCallEvent event = new BlockingCallEvent();
        if (event.shouldCommit()) {
            event.loop = loop.name();
            event.call = call;
            event.blockedFor = duration.toNanos();
            event.stack = format(stack, STACK_FRAMES);
            event.commit();
        }
    }

    /** One frame a line, innermost first, at most {@code max}. */
    static String format(StackTraceElement[] stack, int max) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(stack.length, max);
        for (int i = 0; i < n; i++) {
            out.append(frame(stack[i])).append('\n');
        }
        if (stack.length > n) {
            out.append("... ").append(stack.length - n).append(" more\n");
        }
        return out.toString();
    }

    /** As {@link StackTraceElement#toString()}, but keeps the line of a frame without a file name. */
    static String frame(StackTraceElement f) {
        if (f.getFileName() == null && f.getLineNumber() > 0) {
            return f.getClassName() + "." + f.getMethodName() + "(line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }

    @Override
    public String toString() {
        return "Flight Recorder events (io.eventthread.*)";
    }
}

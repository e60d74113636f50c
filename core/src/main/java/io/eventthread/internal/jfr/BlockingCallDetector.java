package io.eventthread.internal.jfr;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.internal.BlockingCalls;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Finds blocking calls made by callbacks on a group's loop threads, without an agent: a Flight
 * Recorder event stream of the JDK's own {@code jdk.ThreadSleep}, {@code jdk.SocketRead},
 * {@code jdk.SocketWrite}, {@code jdk.FileRead}, {@code jdk.FileWrite},
 * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} events over a threshold, with stacks.
 * Events of other threads are dropped, and so is the loop's own idle park (recognised by the
 * engine's idle frame near the top of the stack). Each hit is logged with its top frames,
 * counted in the loop's stats, and sent to the listeners on their notifier thread.
 *
 * <p>What it cannot see: calls shorter than the threshold; blocking the JDK records no event for
 * (busy loops, {@code Object.wait} and socket channels in JDK 17 — a callback that computes for
 * long is the slow-callback detector's job); and anything in real time — the stream delivers
 * events in batches, about once a second, after the call has returned.
 */
public final class BlockingCallDetector implements AutoCloseable {

    /** The JDK events watched. */
    static final List<String> EVENTS = List.of("jdk.ThreadSleep", "jdk.SocketRead", "jdk.SocketWrite",
            "jdk.FileRead", "jdk.FileWrite", "jdk.JavaMonitorEnter", "jdk.ThreadPark");

    /** The engine method in which an idle loop parks; by simple class name, to survive a move. */
    static final String IDLE_CLASS = "IdleStrategy";
    static final String IDLE_METHOD = "idle";
    /** How far below the blocking frame the idle frame may be (Unsafe.park, LockSupport.park...). */
    private static final int IDLE_DEPTH = 6;
    private static final int LOGGED_FRAMES = 5;

    private static final String QUIET_END = "io.eventthread.BlockingQuietPeriodEnd";
    private static final AtomicLong IDS = new AtomicLong();

    private static final System.Logger LOG = System.getLogger(BlockingCallDetector.class.getName());

    private final EventThread group;
    private final Duration threshold;
    private final Map<Long, EventLoop> loopsByThreadId = new ConcurrentHashMap<>();
    /** The loops' own counters and listener dispatch, behind {@link io.eventthread.LoopStats#blockingCalls()}. */
    private final Map<EventLoop, BlockingCalls> reports = new ConcurrentHashMap<>();
    private final QuietPeriod quiet;
    /** Tells this detector's quiet-period marker from other groups'. */
    private final long id = IDS.incrementAndGet();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile RecordingStream stream;

    private BlockingCallDetector(EventThread group, Duration threshold, QuietPeriod quiet) {
        this.group = group;
        this.threshold = threshold;
        this.quiet = quiet;
        for (EventLoop loop : group.loops()) {
            reports.put(loop, BlockingCalls.of(loop));
        }
    }

    /**
     * Creates the detector of a group; {@link #start()} begins watching.
     * @param group the group
     * @param threshold the shortest blocking call reported
     * @param quiet the start-up window whose calls are held
     * @return the detector
     */
    static BlockingCallDetector create(EventThread group, Duration threshold, QuietPeriod quiet) {
        BlockingCallDetector detector = new BlockingCallDetector(group, threshold, quiet);
        group.onTermination(report -> detector.close());
        return detector;
    }

    /**
     * Starts watching, once the loops have started: learns their thread ids on the loops, then
     * opens the event stream. Calling it again has no effect.
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        RecordingStream rs = new RecordingStream();
        for (String name : EVENTS) {
            rs.enable(name).withThreshold(threshold).withStackTrace();
            rs.onEvent(name, this::onEvent);
        }
        rs.setReuse(false);
        if (!quiet.isEmpty()) {
            rs.enable(QuietPeriodEndEvent.class);
            rs.onEvent(QUIET_END, this::onQuietPeriodEnd);
        }
        stream = rs;
        for (EventLoop loop : group.loops()) {
            Runnable register = () -> {
                loopsByThreadId.put(Thread.currentThread().getId(), loop);
            };
            try {
                loop.execute(EventLoop.labeled("blocking-detector registration", register));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.log(Level.WARNING, "blocking-call detection is off for event loop '" + loop.name()
                        + "': it rejected the registration (" + e.getMessage() + ")");
            }
        }
        rs.startAsync();
        if (!quiet.isEmpty()) {
            // after the recording has started, or the marker could be committed before it
            quiet.begin(this::commitQuietPeriodEnd, (delay, task) -> CompletableFuture.runAsync(task,
                    CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)));
        }
    }

    /** Stops watching; events already delivered stay counted, calls held are summarised. */
    @Override
    public void close() {
        RecordingStream rs = stream;
        if (rs != null) {
            rs.close();
        }
        String summary = quiet.closeAtShutdown();
        if (summary != null) {
            LOG.log(Level.INFO, "group '" + group.name() + "': " + summary);
        }
    }

    private void onEvent(RecordedEvent event) {
        RecordedThread thread = event.getThread();
        if (thread == null) {
            return;
        }
        EventLoop loop = loopsByThreadId.get(thread.getJavaThreadId());
        if (loop == null) {
            return; // a plain thread may block
        }
        StackTraceElement[] stack = stack(event.getStackTrace());
        if (isIdlePark(stack)) {
            return;
        }
        String call = describe(event);
        Duration duration = event.getDuration();
        if (quiet.holds()) {
            quiet.hold("event loop '" + loop.name() + "': " + call + culpritText(stack));
            return;
        }
        LOG.log(Level.WARNING, message(loop, call, duration, stack));
        // on the listeners' notifier thread, as every listener event: Flight Recorder drops
        // events committed on its own threads, and this one is the event stream's
        reports.get(loop).found(call, duration, stack);
    }

    /** On the thread that ended the quiet period (a timer's, or the signal's), never the stream's. */
    private void commitQuietPeriodEnd() {
        QuietPeriodEndEvent end = new QuietPeriodEndEvent();
        end.detector = id;
        end.commit();
    }

    private void onQuietPeriodEnd(RecordedEvent event) {
        if (event.getLong("detector") == id) {
            String summary = quiet.close();
            if (summary != null) {
                LOG.log(Level.INFO, "group '" + group.name() + "': " + summary);
            }
        }
    }

    static boolean isIdlePark(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(IDLE_DEPTH, stack.length); i++) {
            String cls = stack[i].getClassName();
            if (stack[i].getMethodName().equals(IDLE_METHOD)
                    && (cls.equals(IDLE_CLASS) || cls.endsWith("." + IDLE_CLASS))) {
                return true;
            }
        }
        return false;
    }

    static String message(EventLoop loop, String call, Duration duration, StackTraceElement[] stack) {
        StringBuilder out = new StringBuilder("blocking call on event loop '").append(loop.name()).append("': ")
                .append(call).append(" for ").append(duration.toMillis()).append(" ms");
        int culprit = culprit(stack);
        if (culprit < stack.length) {
            out.append(", at ").append(frame(stack[culprit]));
            int end = Math.min(stack.length, culprit + LOGGED_FRAMES);
            for (int i = culprit + 1; i < end; i++) {
                out.append("\n\tat ").append(frame(stack[i]));
            }
        }
        return out.append("\nMove blocking work to loop.runBlocking(...)").toString();
    }

    private static String culpritText(StackTraceElement[] stack) {
        int culprit = culprit(stack);
        return culprit < stack.length ? " at " + frame(stack[culprit]) : "";
    }

    /** Flight Recorder gives no file names: {@code Class.method(line 12)}. */
    private static String frame(StackTraceElement f) {
        String at = f.getClassName() + "." + f.getMethodName();
        return f.getLineNumber() > 0 ? at + "(line " + f.getLineNumber() + ")" : at;
    }

    /** The first frame outside the JDK: the code that made the call. */
    static int culprit(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            if (!(cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun."))) {
                return i;
            }
        }
        return 0;
    }

    static String describe(RecordedEvent event) {
        String type = event.getEventType().getName();
        switch (type) {
            case "jdk.ThreadSleep":
                return "Thread.sleep";
            case "jdk.SocketRead":
                return "socket read from " + address(event);
            case "jdk.SocketWrite":
                return "socket write to " + address(event);
            case "jdk.FileRead":
                return "file read of " + field(event, "path");
            case "jdk.FileWrite":
                return "file write to " + field(event, "path");
            case "jdk.JavaMonitorEnter":
                return "monitor enter (synchronized) on " + className(event, "monitorClass");
            case "jdk.ThreadPark":
                return "park (LockSupport.park) on " + className(event, "parkedClass");
            default:
                return type;
        }
    }

    private static String address(RecordedEvent event) {
        return field(event, "host") + ":" + field(event, "port");
    }

    private static String field(RecordedEvent event, String name) {
        return event.hasField(name) ? String.valueOf((Object) event.getValue(name)) : "?";
    }

    private static String className(RecordedEvent event, String name) {
        if (!event.hasField(name) || event.getClass(name) == null) {
            return "?";
        }
        return event.getClass(name).getName();
    }

    static StackTraceElement[] stack(RecordedStackTrace trace) {
        if (trace == null) {
            return new StackTraceElement[0];
        }
        List<RecordedFrame> frames = trace.getFrames();
        StackTraceElement[] stack = new StackTraceElement[frames.size()];
        for (int i = 0; i < stack.length; i++) {
            RecordedFrame f = frames.get(i);
            int line = f.getLineNumber();
            stack[i] = new StackTraceElement(f.getMethod().getType().getName(), f.getMethod().getName(), null,
                    line > 0 ? line : -1);
        }
        return stack;
    }

    @Override
    public String toString() {
        return "BlockingCallDetector[" + group.name() + ", threshold " + threshold.toMillis() + " ms]";
    }
}

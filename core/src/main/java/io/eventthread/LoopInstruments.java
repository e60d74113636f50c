package io.eventthread;

import io.eventthread.internal.DelayHistogram;
import io.eventthread.internal.Watchdog;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A loop's figures and its slow and stuck detection, built so that always-on instrumentation is
 * nearly free. Per task the loop thread does one opaque store (the running task's sequence
 * number) and one opaque load (has the watchdog flagged it?), and no clock read: the clock is read
 * once per {@value #GROUP} tasks and at the edges of each batch, for busy time. The watchdog
 * thread samples the running sequence every quarter of the slow-callback threshold; a task it sees
 * in two samples in a row has run long, so it flags that sequence, and when the loop finishes a
 * flagged task it reads the clock and times it. Everything that can block — logging stacks,
 * calling listeners — happens on the watchdog or notifier thread, or on that slow path.
 */
final class LoopInstruments {

    /** {@code -Deventthread.instrumentation=false} turns timing off, for benchmarks only. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("eventthread.instrumentation"));

    static final long IDLE = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final VarHandle RUNNING;
    private static final VarHandle FLAGGED;
    private static final VarHandle LAST_FUTURE;
    private static final int GROUP = 64;
    private static final long NOT_RUNNING = 0;
    private static final int FAILURES_KEPT = 1024;
    /** Slow-callback warnings allowed per window before they are summarised. */
    private static final int SLOW_LOGS_PER_WINDOW = 5;
    private static final long SLOW_LOG_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long MAX_STUCK_LOG_INTERVAL_NANOS = Duration.ofMinutes(5).toNanos();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RUNNING = lookup.findVarHandle(LoopInstruments.class, "running", long.class);
            FLAGGED = lookup.findVarHandle(LoopInstruments.class, "flagged", long.class);
            LAST_FUTURE = lookup.findVarHandle(LoopInstruments.class, "lastFuture", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SingleThreadEventLoop loop;
    private final Settings.LoopSettings settings;
    private final LoopClock clock;
    private final long slowNanos;
    private final long stuckNanos;
    private final long samplePeriodNanos;
    private final DelayHistogram delay;
    private final DelayProbe probe = new DelayProbe();

    /** Sequence number of the running callback, {@link #NOT_RUNNING} between batches (opaque). */
    private long running;
    /** A sequence the watchdog saw running in two samples in a row (opaque). */
    private long flagged;
    /**
     * The last task with a future that started (opaque; may be stale once it finished): if its
     * loop is forced, the watchdog cancels it, since its thread may never complete it.
     */
    private Object lastFuture;
    /** When the flagged callback started at the earliest: the sample before it was first seen. */
    private volatile long flaggedStartedAfter;

    // written by the loop thread only
    private long sequence;
    private long groupStart = IDLE;
    private int groupCount;
    private long tasksRun;
    private long callbackFailures;
    private long workFailures;
    private long slowCallbacks;
    private long busyNanos;
    private long slowWindowStart;
    private int slowLogsInWindow;
    private long slowLogsSuppressed;
    private final ArrayDeque<LoopFuture<?>> failedFutures = new ArrayDeque<>();

    // written by other threads
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong droppedEvents = new AtomicLong();
    private volatile long startedAt = IDLE;
    private volatile long terminatedAt = IDLE;

    // watchdog thread only (read racily by snapshot())
    private volatile long sampledSequence = NOT_RUNNING;
    private volatile long sampledSince = IDLE;
    /** The sample before the running sequence was first seen: it started after this. */
    private long sampledStartedAfter = IDLE;
    private long previousSampleAt = IDLE;
    /** The sequence the watchdog reported stuck, until it returns; stats() reads it (volatile). */
    private volatile long stuckSequence = NOT_RUNNING;
    private long nextStuckLog;
    private long stuckLogInterval;
    private long nextProbeAt;
    private volatile long stuckIncidents;
    private ScheduledFuture<?> watch;

    LoopInstruments(SingleThreadEventLoop loop, Settings.LoopSettings settings) {
        this.loop = loop;
        this.settings = settings;
        this.clock = settings.clock();
        this.slowNanos = settings.slowCallbackThresholdNanos();
        this.stuckNanos = settings.stuckThresholdNanos();
        // two samples a quarter-threshold apart see every callback of at least half the threshold
        this.samplePeriodNanos = Math.max(Duration.ofMillis(1).toNanos(),
                Math.min(slowNanos / 4, settings.watchdogIntervalNanos()));
        this.delay = new DelayHistogram(Math.max(Duration.ofSeconds(5).toNanos(), 2 * settings.watchdogIntervalNanos()));
    }

    void started() {
        startedAt = clock.nanoTime();
        watch = Watchdog.every(this::watch, samplePeriodNanos);
    }

    void terminated() {
        terminatedAt = clock.nanoTime();
        ScheduledFuture<?> w = watch;
        if (w != null) {
            w.cancel(false);
        }
    }

    // ---------------------------------------------------------------- hot path (loop thread)

    void beforeTask() {
        if (!ENABLED) {
            return;
        }
        if (groupStart == IDLE) {
            groupStart = clock.nanoTime();
        }
        RUNNING.setOpaque(this, ++sequence);
    }

    void afterTask(Object task) {
        tasksRun++;
        if (!ENABLED) {
            return;
        }
        if ((long) FLAGGED.getOpaque(this) == sequence) {
            timeFlagged(task);
        } else if (++groupCount == GROUP) {
            long now = clock.nanoTime();
            busyNanos += now - groupStart;
            groupStart = now;
            groupCount = 0;
        }
    }

    /** The loop stopped running callbacks (it may park next). */
    void idleSince() {
        if (!ENABLED || groupStart == IDLE) {
            return;
        }
        busyNanos += clock.nanoTime() - groupStart;
        groupStart = IDLE;
        groupCount = 0;
        RUNNING.setOpaque(this, NOT_RUNNING);
    }

    /**
     * A task with a future starts: records how late it started ({@code dueAt} is its enqueue time
     * or deadline) and remembers it for a forced shutdown.
     */
    void taskStarted(LoopFuture<?> task, long dueAt) {
        LAST_FUTURE.setOpaque(this, task);
        recordDelay(dueAt);
    }

    Object lastFuture() {
        return LAST_FUTURE.getOpaque(this);
    }

    /** Records how late the running task started; {@code dueAt} is its enqueue time or deadline. */
    void recordDelay(long dueAt) {
        if (ENABLED) {
            long now = clock.nanoTime();
            delay.record(now - dueAt, now);
        }
    }

    /**
     * The watchdog saw this task running in two samples: time it. It started after both the
     * group start and the sample before it was first seen, so the later of the two bounds its
     * start, within one sample period.
     */
    private void timeFlagged(Object task) {
        long now = clock.nanoTime();
        long started = Math.max(groupStart, flaggedStartedAfter);
        long ran = now - started;
        busyNanos += now - groupStart;
        groupStart = now;
        groupCount = 0;
        if (ran >= slowNanos) {
            slowCallback(task, ran);
        }
    }

    // ---------------------------------------------------------------- failures (loop thread)

    void callbackThrew(Object task, Throwable failure) {
        callbackFailures++;
        reportToHandler(failure);
        notifyListeners(l -> l.taskFailed(loop, SingleThreadEventLoop.describe(task), failure));
    }

    void taskFailed(LoopTask<?> task, Throwable failure, boolean inCallback) {
        if (inCallback) {
            callbackFailures++;
        } else {
            workFailures++;
        }
        if (task.reportsToHandler() || failure instanceof Error) {
            reportToHandler(failure);
        } else if (loop.inEventLoop()) {
            rememberFailed(task);
        }
        notifyListeners(l -> l.taskFailed(loop, task.description(), failure));
    }

    void reportUncaught(Throwable failure) {
        reportToHandler(failure);
    }

    private void reportToHandler(Throwable failure) {
        Thread.UncaughtExceptionHandler handler = settings.uncaughtExceptionHandler();
        if (handler != null) {
            try {
                handler.uncaughtException(Thread.currentThread(), failure);
                return;
            } catch (Throwable handlerFailure) {
                LOG.log(Level.ERROR, "Uncaught-exception handler of event loop '" + loop.name() + "' threw", handlerFailure);
            }
        }
        LOG.log(Level.ERROR, "Event loop '" + loop.name() + "': a task threw; the loop goes on with the next one", failure);
    }

    private void rememberFailed(LoopFuture<?> future) {
        if (failedFutures.size() == FAILURES_KEPT) {
            failedFutures.removeIf(LoopFuture::isObserved);
            if (failedFutures.size() == FAILURES_KEPT) {
                failedFutures.pollFirst(); // the oldest goes unreported: the list stays bounded
            }
        }
        failedFutures.addLast(future);
    }

    /** At termination: failures of futures nobody read or chained on. */
    List<Throwable> unobservedFailures() {
        List<Throwable> unobserved = new ArrayList<>();
        for (LoopFuture<?> f : failedFutures) {
            if (!f.isObserved() && f.isCompletedExceptionally() && !f.isCancelled()) {
                f.exceptionally(t -> {
                    unobserved.add(t);
                    return null;
                });
            }
        }
        failedFutures.clear();
        return unobserved;
    }

    // ---------------------------------------------------------------- slow and stuck

    private void slowCallback(Object task, long ranNanos) {
        slowCallbacks++;
        String description = SingleThreadEventLoop.describe(task);
        notifyListeners(l -> l.slowCallback(loop, description, Duration.ofNanos(ranNanos)));
        long now = clock.nanoTime();
        if (now - slowWindowStart >= SLOW_LOG_WINDOW_NANOS) {
            slowWindowStart = now;
            slowLogsInWindow = 0;
        }
        if (++slowLogsInWindow > SLOW_LOGS_PER_WINDOW) {
            slowLogsSuppressed++;
            return;
        }
        StringBuilder message = new StringBuilder("Event loop '").append(loop.name()).append("' ran a slow callback for ")
                .append(millis(ranNanos)).append(" ms (threshold ").append(millis(slowNanos)).append(" ms): ")
                .append(description);
        if (slowLogsSuppressed > 0) {
            message.append(" (").append(slowLogsSuppressed).append(" similar warnings suppressed before this one)");
            slowLogsSuppressed = 0;
        }
        Throwable origin = task instanceof LoopTask<?> t ? t.submittedAt : null;
        if (origin != null) {
            LOG.log(Level.WARNING, message.toString(), origin);
        } else {
            LOG.log(Level.WARNING, message.toString());
        }
    }

    /** On the watchdog thread, every sample period. */
    private void watch() {
        if (loop.stateValue() == SingleThreadEventLoop.ST_TERMINATED) {
            return;
        }
        long now = clock.nanoTime();
        long seq = (long) RUNNING.getOpaque(this);
        long before = previousSampleAt;
        previousSampleAt = now;
        if (seq != sampledSequence) {
            recoverIfStuck(now);
            sampledSequence = seq;
            sampledSince = now;
            sampledStartedAfter = before;
            if (seq == NOT_RUNNING || now - nextProbeAt >= 0) {
                sendProbe(now);
            }
            return;
        }
        if (seq == NOT_RUNNING) {
            return;
        }
        // the same callback in two samples: it has run at least since the previous sample
        if ((long) FLAGGED.getOpaque(this) != seq) {
            // IDLE (Long.MIN_VALUE) when no sample preceded it: then only the group start bounds it
            flaggedStartedAfter = sampledStartedAfter;
            FLAGGED.setOpaque(this, seq);
        }
        long runningFor = now - sampledSince;
        if (runningFor < stuckNanos) {
            return;
        }
        if (stuckSequence != seq) {
            stuckSequence = seq;
            stuckIncidents++;
            stuckLogInterval = Math.max(stuckNanos, settings.watchdogIntervalNanos()) * 4;
            nextStuckLog = now + stuckLogInterval;
            logStuck(runningFor, true);
        } else if (now - nextStuckLog >= 0) {
            stuckLogInterval = Math.min(stuckLogInterval * 2, MAX_STUCK_LOG_INTERVAL_NANOS);
            nextStuckLog = now + stuckLogInterval;
            logStuck(runningFor, false);
        }
    }

    private void recoverIfStuck(long now) {
        if (stuckSequence == NOT_RUNNING) {
            return;
        }
        long total = now - sampledSince;
        stuckSequence = NOT_RUNNING;
        LOG.log(Level.INFO, "Event loop '" + loop.name() + "' recovered: the stuck callback returned after about "
                + millis(total) + " ms");
        notifyListeners(l -> l.recovered(loop, Duration.ofNanos(total)));
    }

    private void logStuck(long stuckForNanos, boolean first) {
        StackTraceElement[] stack = loop.thread().getStackTrace();
        Throwable trace = new Throwable("stack of event loop thread '" + loop.name() + "'");
        trace.setStackTrace(stack);
        LOG.log(Level.WARNING, "Event loop '" + loop.name() + "' is " + (first ? "" : "still ") + "blocked in one callback for "
                + millis(stuckForNanos) + " ms, limit " + millis(stuckNanos) + " ms; its stack follows. "
                + "Move blocking work to runBlocking(...)", trace);
        if (first) {
            notifyListeners(l -> l.stuck(loop, Duration.ofNanos(stuckForNanos), stack));
        }
    }

    /** A probe measures queueing delay on a busy loop even when it runs only plain Runnables. */
    private void sendProbe(long now) {
        if (!ENABLED || probe.pending || loop.queueSize() == 0) {
            return;
        }
        nextProbeAt = now + settings.watchdogIntervalNanos();
        probe.pending = true;
        probe.sentAt = now;
        loop.executeInternal(probe);
    }

    private final class DelayProbe implements LoopInternal {
        volatile boolean pending;
        volatile long sentAt;

        @Override
        public void run() {
            recordDelay(sentAt);
            tasksRun--; // the probe is ours, not a user task
            pending = false;
        }

        @Override
        public void runAtTermination() {
            pending = false;
        }

        @Override
        public String toString() {
            return "loop delay probe";
        }
    }

    // ---------------------------------------------------------------- reading

    boolean isInCallback() {
        return runningSequence() != NOT_RUNNING;
    }

    /** The sequence number of the running callback, or 0 between batches; identifies the callback. */
    long runningSequence() {
        return (long) RUNNING.getOpaque(this);
    }

    long tasksRun() {
        return tasksRun;
    }

    void rejected(String reason) {
        rejected.increment();
        notifyListeners(l -> l.rejected(loop, reason));
    }

    private void notifyListeners(Consumer<EventLoopListener> event) {
        List<EventLoopListener> listeners = settings.listeners();
        if (listeners.isEmpty()) {
            return;
        }
        boolean queued = Watchdog.notify(() -> {
            for (EventLoopListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (Throwable t) {
                    LOG.log(Level.WARNING, "EventLoopListener " + listener + " threw", t);
                }
            }
        });
        if (!queued) {
            droppedEvents.incrementAndGet();
        }
    }

    LoopStats snapshot() {
        long now = clock.nanoTime();
        long seq = runningSequence();
        long since = sampledSince;
        // as sampled by the watchdog: exact to within one sample period
        long current = seq == NOT_RUNNING || seq != sampledSequence || since == IDLE ? 0 : Math.max(0, now - since);
        // busy time includes the burst in progress, so a loop stuck in one callback reads as busy
        long burstStart = groupStart;
        long inProgress = seq == NOT_RUNNING || burstStart == IDLE ? 0 : Math.max(0, now - burstStart);
        long began = startedAt;
        long end = terminatedAt == IDLE ? now : terminatedAt;
        long run = tasksRun;
        long failedCallbacks = callbackFailures;
        LoopDelay loopDelay = new LoopDelay(delay.count(), Duration.ofNanos(delay.total()), Duration.ofNanos(delay.max()),
                Duration.ofNanos(delay.recentMax(now)), Duration.ofNanos(delay.quantileUpperBound(0.5)),
                Duration.ofNanos(delay.quantileUpperBound(0.99)));
        int depth = Math.max(0, loop.queueSize() - (probe.pending ? 1 : 0)); // the probe is ours
        // stuck as the watchdog judged it, so that every stuck the stats show is a counted incident
        boolean stuck = seq != NOT_RUNNING && seq == stuckSequence;
        return new LoopStats(loop.name(), loop.state(), stuck, depth, loop.pendingTimers(),
                Math.max(0, run - failedCallbacks), failedCallbacks + workFailures, rejected.sum(), slowCallbacks,
                stuckIncidents, Duration.ofNanos(busyNanos + inProgress),
                Duration.ofNanos(began == IDLE ? 0 : Math.max(0, end - began)),
                Duration.ofNanos(current), loopDelay, droppedEvents.get());
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}

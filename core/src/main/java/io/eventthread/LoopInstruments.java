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
 * A loop's figures and its slow and stuck detection. The loop thread is the only writer of the
 * counters (plain stores, no allocation), reads the clock at most twice per task (the end of one
 * task is the start of the next), and publishes the start of the running callback with an opaque
 * store that the watchdog thread reads. Everything that can block — logging stacks, calling
 * listeners — happens on the watchdog or notifier thread, or only on the slow path.
 */
final class LoopInstruments {

    /** {@code -Deventthread.instrumentation=false} turns timing off, for benchmarks only. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("eventthread.instrumentation"));

    static final long IDLE = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final VarHandle CALLBACK_START;
    private static final VarHandle CURRENT_TASK;
    private static final int FAILURES_KEPT = 1024;
    /** Slow-callback warnings allowed per window before they are summarised. */
    private static final int SLOW_LOGS_PER_WINDOW = 5;
    private static final long SLOW_LOG_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long MAX_STUCK_LOG_INTERVAL_NANOS = Duration.ofMinutes(5).toNanos();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLBACK_START = lookup.findVarHandle(LoopInstruments.class, "callbackStart", long.class);
            CURRENT_TASK = lookup.findVarHandle(LoopInstruments.class, "currentTask", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SingleThreadEventLoop loop;
    private final Settings.LoopSettings settings;
    private final LoopClock clock;
    private final long slowNanos;
    private final long stuckNanos;
    private final DelayHistogram delay;
    private final DelayProbe probe = new DelayProbe();

    // written by the loop thread only
    private long callbackStart = IDLE;
    private Object currentTask;
    private long taskStart = IDLE;
    private long tasksRun;
    private long callbackFailures;
    private long workFailures;
    private long slowCallbacks;
    private long busyNanos;
    private long slowWindowStart;
    private int slowLogsInWindow;
    private long slowLogsSuppressed;
    private final ArrayDeque<LoopFuture<?>> failedFutures = new ArrayDeque<>();
    private long failedFuturesDropped;

    // written by other threads
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong droppedEvents = new AtomicLong();
    private volatile long startedAt = IDLE;
    private volatile long terminatedAt = IDLE;

    // watchdog thread only
    private long stuckCallbackStart = IDLE;
    private long nextStuckLog;
    private long stuckLogInterval;
    private volatile long stuckIncidents;
    private ScheduledFuture<?> watch;

    LoopInstruments(SingleThreadEventLoop loop, Settings.LoopSettings settings) {
        this.loop = loop;
        this.settings = settings;
        this.clock = settings.clock();
        this.slowNanos = settings.slowCallbackThresholdNanos();
        this.stuckNanos = settings.stuckThresholdNanos();
        this.delay = new DelayHistogram(Math.max(Duration.ofSeconds(5).toNanos(), 2 * settings.watchdogIntervalNanos()));
    }

    void started() {
        startedAt = clock.nanoTime();
        watch = Watchdog.every(this::watch, settings.watchdogIntervalNanos());
    }

    void terminated() {
        terminatedAt = clock.nanoTime();
        ScheduledFuture<?> w = watch;
        if (w != null) {
            w.cancel(false);
        }
    }

    // ---------------------------------------------------------------- hot path (loop thread)

    void beforeTask(Object task) {
        if (!ENABLED) {
            return;
        }
        long t0 = taskStart;
        if (t0 == IDLE) {
            t0 = clock.nanoTime();
            taskStart = t0;
        }
        CALLBACK_START.setOpaque(this, t0);
        CURRENT_TASK.setOpaque(this, task);
    }

    void afterTask(Object task) {
        tasksRun++;
        if (!ENABLED) {
            return;
        }
        long t1 = clock.nanoTime();
        long ran = t1 - taskStart;
        busyNanos += ran;
        taskStart = t1;
        if (ran >= slowNanos) {
            slowCallback(task, ran);
        }
    }

    /** The loop stopped running callbacks (it may park next). */
    void idleSince() {
        if (!ENABLED) {
            return;
        }
        taskStart = IDLE;
        CALLBACK_START.setOpaque(this, IDLE);
        CURRENT_TASK.setOpaque(this, null);
    }

    /** Records how late the running task started; {@code dueAt} is its enqueue time or deadline. */
    void recordDelay(long dueAt) {
        if (ENABLED && taskStart != IDLE) {
            delay.record(taskStart - dueAt, taskStart);
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
                failedFutures.pollFirst();
                failedFuturesDropped++;
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
        long now = taskStart;
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

    /** On the watchdog thread, every interval. */
    private void watch() {
        if (loop.stateValue() == SingleThreadEventLoop.ST_TERMINATED) {
            return;
        }
        long now = clock.nanoTime();
        long start = (long) CALLBACK_START.getOpaque(this);
        if (start == IDLE || now - start < stuckNanos) {
            if (stuckCallbackStart != IDLE && start != stuckCallbackStart) {
                long total = now - stuckCallbackStart;
                stuckCallbackStart = IDLE;
                LOG.log(Level.INFO, "Event loop '" + loop.name() + "' recovered: the stuck callback returned after about "
                        + millis(total) + " ms");
                notifyListeners(l -> l.recovered(loop, Duration.ofNanos(total)));
            }
            if (start == IDLE || start != stuckCallbackStart) {
                sendProbe(now);
            }
            return;
        }
        long stuckFor = now - start;
        if (start != stuckCallbackStart) {
            stuckCallbackStart = start;
            stuckIncidents++;
            stuckLogInterval = Math.max(stuckNanos, settings.watchdogIntervalNanos()) * 4;
            nextStuckLog = now + stuckLogInterval;
            logStuck(stuckFor, true);
        } else if (now - nextStuckLog >= 0) {
            stuckLogInterval = Math.min(stuckLogInterval * 2, MAX_STUCK_LOG_INTERVAL_NANOS);
            nextStuckLog = now + stuckLogInterval;
            logStuck(stuckFor, false);
        }
    }

    private void logStuck(long stuckForNanos, boolean first) {
        StackTraceElement[] stack = loop.thread().getStackTrace();
        Throwable trace = new Throwable("stack of event loop thread '" + loop.name() + "'");
        trace.setStackTrace(stack);
        Object task = CURRENT_TASK.getOpaque(this);
        LOG.log(Level.WARNING, "Event loop '" + loop.name() + "' is " + (first ? "" : "still ") + "blocked in one callback for "
                + millis(stuckForNanos) + " ms, limit " + millis(stuckNanos) + " ms: " + SingleThreadEventLoop.describe(task)
                + ". Move blocking work to runBlocking(...)", trace);
        if (first) {
            notifyListeners(l -> l.stuck(loop, Duration.ofNanos(stuckForNanos), stack));
        }
    }

    /** A probe measures queueing delay on a busy loop even when it runs only plain Runnables. */
    private void sendProbe(long now) {
        if (!ENABLED || probe.pending || loop.queueSize() == 0) {
            return;
        }
        probe.pending = true;
        probe.sentAt = now;
        loop.executeInternal(probe);
    }

    private final class DelayProbe implements Runnable {
        volatile boolean pending;
        volatile long sentAt;

        @Override
        public void run() {
            recordDelay(sentAt);
            tasksRun--; // the probe is ours, not a user task
            pending = false;
        }

        @Override
        public String toString() {
            return "loop delay probe";
        }
    }

    // ---------------------------------------------------------------- reading

    boolean isInCallback() {
        return (long) CALLBACK_START.getOpaque(this) != IDLE;
    }

    Object currentTask() {
        return CURRENT_TASK.getOpaque(this);
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
        long start = (long) CALLBACK_START.getOpaque(this);
        long current = start == IDLE ? 0 : Math.max(0, now - start);
        long began = startedAt;
        long end = terminatedAt == IDLE ? now : terminatedAt;
        long run = tasksRun;
        long failedCallbacks = callbackFailures;
        LoopDelay loopDelay = new LoopDelay(delay.count(), Duration.ofNanos(delay.total()), Duration.ofNanos(delay.max()),
                Duration.ofNanos(delay.recentMax(now)), Duration.ofNanos(delay.quantileUpperBound(0.5)),
                Duration.ofNanos(delay.quantileUpperBound(0.99)));
        return new LoopStats(loop.name(), loop.state(), current >= stuckNanos, loop.queueSize(), loop.pendingTimers(),
                Math.max(0, run - failedCallbacks), failedCallbacks + workFailures, rejected.sum(), slowCallbacks,
                stuckIncidents, Duration.ofNanos(busyNanos), Duration.ofNanos(began == IDLE ? 0 : Math.max(0, end - began)),
                Duration.ofNanos(current), loopDelay, droppedEvents.get());
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}

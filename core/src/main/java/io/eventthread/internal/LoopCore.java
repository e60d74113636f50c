package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopClock;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The heart of one loop: its thread, its {@link TaskQueue} (drained in batches) and its run loop —
 * due timers, a batch, the {@link IdleStrategy} when a turn found nothing. It wires the loop's
 * parts together, is the narrow {@link TaskOwner} that tasks and futures see, and gives
 * {@link DefaultEventLoop} a few verbs: offer a user's task ({@link #offer}), schedule a timer
 * ({@link #schedule}), start asynchronous or blocking work ({@link #startAsync},
 * {@link #startBlocking}), hand out a promise, register a shutdown callback, and the life cycle
 * ({@link #start}, {@link #beginShutdown}). The {@link Lifecycle} makes every decision that
 * depends on the loop's state; the shutdown ({@link LoopShutdown}) is driven from here and never
 * calls back but to run code in the task bracket.
 */
final class LoopCore implements TaskOwner, LoopContext, Timers.Host {

    /** Tasks run per batch before the loop looks at its timers again. */
    private static final int MAX_BATCH = 1024;

    private final LoopSettings settings;
    private final LoopClock clock;
    private final EventLoop api;
    private final TaskQueue queue;
    private final Thread thread;
    private final Lifecycle lifecycle;
    private final Timers timers;
    private final Admission admission;
    private final IdleStrategy idle;
    private final LoopCounters counters;
    private final ListenerDispatch listeners;
    private final FailureReporter failures;
    private final InFlight inFlight = new InFlight();
    private final SlowCallbacks slow;
    private final DelayProbe probe;
    private final StuckWatch watch;
    private final WatchSchedule watchSchedule;
    private final StatsSnapshot stats;
    private final ShutdownCallbacks shutdownCallbacks;
    private final LoopShutdown shutdown;
    private final Executor continuations = this::executeContinuation;
    private final Predicate<ScheduledTask<?>> fireTimer = this::fire;
    /**
     * In debug mode, where each task was submitted; null otherwise. Beside the tasks, not in them:
     * a field in every task would cost every pending timer its bytes for a debugging aid.
     */
    private final Map<Object, Throwable> origins;
    private LoopState idleState; // the state when the loop went idle: a change ends the idle wait
    private final IdleStrategy.Work idleWork = new IdleStrategy.Work() {
        @Override
        public boolean arrived() {
            return !queue.isEmpty() || lifecycle.state() != idleState || inFlight.takeWakeRequest();
        }

        @Override
        public boolean seen() {
            return queue.headReady() || lifecycle.state() != idleState || inFlight.takeWakeRequest();
        }

        @Override
        public long parkNanos() {
            return lifecycle.parkNanos(timers.nanosToNext());
        }
    };

    LoopCore(EventLoop api, LoopSettings settings, int index, Executor terminator) {
        this.api = api;
        this.settings = settings;
        this.origins = settings.debug() ? Collections.synchronizedMap(new WeakHashMap<>()) : null;
        this.clock = settings.clock();
        this.queue = new TaskQueue(settings.queueCapacity());
        String name = settings.threadNamePrefix() + "-" + (index + 1);
        ThreadFactory factory = settings.threadFactory();
        Runnable body = this::run;
        this.thread = factory != null ? factory.newThread(body) : new Thread(body, name);
        if (factory == null) {
            thread.setDaemon(false);
        }
        this.lifecycle = new Lifecycle(clock, settings.forceGraceNanos());
        this.idle = new IdleStrategy(settings.idleSpinNanos());
        this.timers = new Timers(this, lifecycle, clock, settings.timerShutdownPolicy());
        this.counters = new LoopCounters(clock, settings.watchdogIntervalNanos());
        this.listeners = new ListenerDispatch(settings.listeners());
        this.failures = new FailureReporter(this, settings.uncaughtExceptionHandler(), listeners, counters);
        this.slow = new SlowCallbacks(this, listeners, clock, settings.slowCallbackThresholdNanos());
        counters.windowTimer(slow, settings.slowCallbackThresholdNanos());
        this.probe = new DelayProbe(this, counters, settings.watchdogIntervalNanos());
        this.watch = new StuckWatch(this, counters, slow, probe, listeners, settings);
        this.watchSchedule = new WatchSchedule(this, counters, watch);
        this.stats = new StatsSnapshot(this, counters, slow, watch, probe, listeners, clock);
        this.admission = new Admission(this, lifecycle, settings, counters, listeners);
        this.shutdownCallbacks = new ShutdownCallbacks(this, lifecycle, clock, failures::callbackThrew);
        this.shutdown = new LoopShutdown(thread, idle, this::runUserCode, lifecycle, queue, inFlight, timers, counters,
                failures, watchSchedule, shutdownCallbacks, terminator);
    }

    // ---------------------------------------------------------------- life cycle

    void start() {
        if (lifecycle.start()) {
            counters.started();
            watchSchedule.start();
            thread.start();
        }
    }

    void beginShutdown(long requestedAt, long timeoutNanos) {
        shutdown.begin(requestedAt, timeoutNanos);
    }

    CompletableFuture<ShutdownReport> terminationReport() {
        return shutdown.report();
    }

    List<Runnable> neverStarted() {
        return shutdown.neverStarted();
    }

    LoopHandle onShutdown(Runnable callback) {
        return shutdownCallbacks.register(callback);
    }

    private void run() {
        RunningLoop.enter(api);
        try {
            while (!lifecycle.isTerminated()) {
                int ran = timers.runDue(fireTimer, MAX_BATCH);
                counters.idleSince();
                ran += drainQueue();
                if (lifecycle.isShuttingDown() && shutdown.step()) {
                    break;
                }
                if (ran == 0) {
                    idleState = lifecycle.state();
                    idle.idle(idleWork);
                    watchSchedule.loopWoke();
                }
            }
        } catch (Throwable fatal) {
            // only a failure of the loop's own code gets here: report it, then stop cleanly
            failures.reportUncaught(fatal);
        } finally {
            shutdown.loopExited();
            RunningLoop.exit();
        }
    }

    private int drainQueue() {
        int ran = 0;
        Runnable task;
        while (ran < MAX_BATCH && !lifecycle.isTerminated() && (task = queue.relaxedPoll()) != null) {
            ran++;
            if (!runCallback(task, null)) {
                break;
            }
        }
        counters.idleSince();
        return ran;
    }

    private boolean fire(ScheduledTask<?> timer) {
        return runCallback(timer, timer);
    }

    /**
     * The task bracket: runs one callback with its bookkeeping — a queued task, or a due
     * {@code timer} (which fires rather than runs: {@code run()} is its queue message).
     * @return whether to go on running callbacks
     */
    private boolean runCallback(Runnable task, ScheduledTask<?> timer) {
        counters.beforeTask();
        try {
            if (timer == null) {
                task.run();
            } else {
                timer.fire();
            }
        } catch (Throwable failure) {
            failures.callbackThrew(task, failure);
        }
        // an interrupt is scoped to the callback that got (or raised) it: one left behind would
        // fail the next callback's interruptible wait. A field read when there is none.
        Thread.interrupted();
        counters.afterTask(task);
        return !lifecycle.mustStopRunning();
    }

    /** Shutdown work that may run user code, in the bracket but not counted as a task of the drain. */
    private boolean runUserCode(Runnable code) {
        boolean goOn = runCallback(code, null);
        counters.uncountTask();
        return goOn;
    }

    // ---------------------------------------------------------------- submission

    /**
     * Queues a task. {@code internal} submissions (completions of work the loop already owns) skip
     * the shutdown and capacity checks; only termination stops them.
     */
    public void offer(Runnable task, boolean internal) {
        offer(task, internal, true);
    }

    @Override
    public void offerQuietly(Runnable timer) {
        offer(timer, false, false);
    }

    private void offer(Runnable task, boolean internal, boolean wake) {
        admission.requireAccepting(task, internal);
        if (queue.bounded() && !queue.reserve(internal || inEventLoop())) {
            throw admission.full(task);
        }
        if (!enqueue(task, wake)) {
            throw admission.reject(task, "it has terminated");
        }
    }

    @Override
    public boolean offerOwned(Runnable task) {
        return offerOwned(task, true);
    }

    /**
     * Queues work the loop already owns (an engine task).
     * Once the loop has terminated it returns {@code false} instead, and that refusal is not a
     * rejection: no caller sees it, the caller applies the entry's termination contract, so it is
     * neither counted nor reported.
     */
    private boolean offerOwned(Runnable task, boolean wake) {
        if (!admission.accepts(true)) {
            return false;
        }
        queue.reserve(true);
        return enqueue(task, wake);
    }

    private boolean enqueue(Runnable task, boolean wake) {
        queue.offer(task);
        // Termination may have begun between our state check and the offer (Dekker: we offer then
        // read the state; the loop writes the state then sweeps). Either the loop's sweep sees the
        // task — then its termination contract applies — or we take it back ourselves.
        if (lifecycle.isTerminated() && shutdown.takeBack(task)) {
            return false;
        }
        if (wake) {
            wakeUp();
        }
        return true;
    }

    @Override
    public void wakeUp() {
        idle.wake(thread);
    }

    /** Queues an engine task; once the loop has terminated, applies its termination contract instead. */
    @Override
    public void executeInternal(InternalTask task) {
        if (!offerOwned(task, true)) {
            task.runAtTermination();
        }
    }

    private void executeContinuation(Runnable continuation) {
        // continuations of loop futures finish work the loop already accepted, so a shutdown in
        // progress does not refuse them; after termination CompletableFuture completes the
        // dependent stage exceptionally with our RejectedExecutionException.
        // An engine request keeps its own termination contract; a CompletableFuture continuation
        // is run at termination, the only way to complete its dependent stage; it is decorated
        // on the completing thread, so it runs in the context of the work that completed its stage.
        if (continuation instanceof InternalTask engine) {
            offer(engine, true);
            return;
        }
        UnaryOperator<Runnable> decorator = settings.taskDecorator();
        offer((InternalTask) (decorator == null ? continuation : decorator.apply(continuation))::run, true);
    }

    /** The loop-time deadline {@code nanos} from now, saturated. */
    long deadlineAfter(long nanos) {
        return timers.deadlineAfter(nanos);
    }

    /** {@code loopTime} as a timer deadline, saturated. */
    long deadlineAt(long loopTime) {
        return timers.deadlineAt(loopTime);
    }

    /** Schedules a timer, from any thread. */
    void schedule(ScheduledTask<?> timer) {
        timers.schedule(timer);
    }

    /** Starts {@code submitAsync} work: tracked (a graceful shutdown waits for it), then queued. */
    void startAsync(AsyncTask<?> work) {
        inFlight.track(work);
        try {
            offer(work, false);
        } catch (RejectedExecutionException e) {
            untrack(work);
            throw e;
        }
    }

    /**
     * Starts {@code runBlocking} work, made by {@code work} once admitted, on {@code pool};
     * {@code task} is what a rejection names. Tracked, then checked again (Dekker with
     * termination, which sets the state and then cancels what is tracked): either termination
     * cancels it, or this sees the state and refuses it — work accepted as the loop terminates
     * never runs after it.
     */
    <T> BlockingTask<T> startBlocking(Object task, Supplier<BlockingTask<T>> work, BlockingPool pool) {
        admission.requireAccepting(task, false);
        BlockingTask<T> f = work.get();
        inFlight.track(f);
        if (lifecycle.isTerminated()) {
            f.cancel(false);
            throw admission.reject(task, "it has terminated");
        }
        pool.submit(f);
        return f;
    }

    /** A {@code newFuture} promise: cancelled at termination, not waited for. */
    <T> Promise<T> newPromise() {
        return inFlight.track(new Promise<>(this), lifecycle);
    }

    @Override
    public void untrack(OwnedFuture<?> future) {
        // the last in-flight work ended off the loop: a draining loop may now be done (the state
        // is read after the removal: a shutdown that began later sees the removal in its drain)
        if (inFlight.untrack(future) && lifecycle.isShuttingDown() && inFlight.isEmpty() && !inEventLoop()) {
            inFlight.requestWake();
            wakeUp();
        }
    }

    /** A blocking call the detector found on this loop's thread: counted, sent to the listeners. */
    void blockingCallFound(String call, Duration duration, StackTraceElement[] stack) {
        counters.blockingCall();
        listeners.notify(l -> l.blockingCall(api, call, duration, stack));
    }

    // ---------------------------------------------------------------- what tasks, futures and readers see

    @Override
    public Executor continuationExecutor() {
        return continuations;
    }

    @Override
    public Timers timers() {
        return timers;
    }

    @Override
    public void spinUntilDone(CompletableFuture<?> future) {
        idle.spinUntil(future::isDone);
    }

    @Override
    public void taskStarted(TaskFuture<?> task, long dueAt) {
        counters.taskStarted(task, dueAt);
    }

    @Override
    public void taskFailed(TaskFuture<?> task, Throwable failure, boolean inCallback) {
        failures.taskFailed(task, failure, inCallback);
    }

    @Override
    public void traceOrigin(TaskFuture<?> task) {
        if (origins != null) {
            origins.put(task, new Throwable("submitted here"));
        }
    }

    @Override
    public Throwable originOf(Object task) {
        return origins == null ? null : origins.get(task);
    }

    @Override
    public long time() {
        return clock.nanoTime();
    }

    @Override
    public EventLoop loop() {
        return api;
    }

    @Override
    public String name() {
        return thread.getName();
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public LoopState state() {
        return lifecycle.state();
    }

    @Override
    public boolean isParked() {
        return idle.isParked();
    }

    @Override
    public int queueSize() {
        return queue.size();
    }

    @Override
    public int pendingTimers() {
        return timers.size();
    }

    /** The loop thread's stack; empty once it has terminated and ended. */
    StackTraceElement[] threadStack() {
        return lifecycle.isTerminated() && !thread.isAlive() ? new StackTraceElement[0] : thread.getStackTrace();
    }

    LoopStats stats() {
        return stats.take();
    }

    // for tests in this package
    WatchSchedule watchSchedule() {
        return watchSchedule;
    }

    DelayProbe probe() {
        return probe;
    }
}

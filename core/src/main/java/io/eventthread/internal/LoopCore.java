package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopClock;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import io.eventthread.ShutdownReport;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * The heart of one loop: its thread, its {@link TaskQueue} (drained in batches) and its
 * run loop — due timers, a batch, the {@link IdleStrategy} when a turn found nothing. It wires
 * the loop's parts together and is the narrow {@link TaskOwner} that tasks and futures see.
 */
final class LoopCore implements TaskOwner, LoopContext, Timers.Host, LoopShutdown.Host {

    /** Tasks run per batch before the loop looks at its timers again. */
    private static final int MAX_BATCH = 1024;

    final LoopSettings settings;
    final LoopClock clock;
    private final EventLoop api;
    private final TaskQueue queue;
    private final Thread thread;
    final Lifecycle lifecycle;
    final Timers timers;
    final Admission admission;
    private final IdleStrategy idle;
    final LoopCounters counters;
    final ListenerDispatch listeners;
    private final FailureReporter failures;
    private final StuckDetector detector;
    private final StatsSnapshot stats;
    private final ShutdownCallbacks shutdownCallbacks;
    private final LoopShutdown shutdown;
    private final Executor continuations = this::executeContinuation;
    private final java.util.function.Predicate<ScheduledTask<?>> fireTimer = this::fire;
    /** submitAsync and runBlocking work in flight: a graceful shutdown waits for it. */
    private final Set<OwnedFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** newFuture promises: cancelled at termination, but not waited for. */
    private final Set<OwnedFuture<?>> promises = ConcurrentHashMap.newKeySet();
    private int idleState; // the state when the loop went idle: a change ends the idle wait
    private final IdleStrategy.Work idleWork = new IdleStrategy.Work() {
        @Override
        public boolean arrived() {
            return !queue.isEmpty() || lifecycle.value() != idleState || shutdown.takeWakeRequest();
        }

        @Override
        public long parkNanos() {
            long wait = timers.nanosToNext();
            if (lifecycle.isShuttingDown()) {
                long untilDeadline = lifecycle.nanosToDeadline();
                wait = wait < 0 ? untilDeadline : Math.min(wait, untilDeadline);
            }
            return wait;
        }
    };

    LoopCore(EventLoop api, LoopSettings settings, int index, Executor terminator) {
        this.api = api;
        this.settings = settings;
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
        this.detector = new StuckDetector(this, counters, listeners, settings);
        this.stats = new StatsSnapshot(this, counters, detector, listeners, clock);
        this.admission = new Admission(this, lifecycle, settings, counters, listeners);
        this.shutdownCallbacks = new ShutdownCallbacks(this, lifecycle, clock, failures::callbackThrew);
        this.shutdown = new LoopShutdown(this, lifecycle, timers, counters, failures, detector, shutdownCallbacks,
                terminator);
    }

    // ---------------------------------------------------------------- life cycle

    void start() {
        if (lifecycle.start()) {
            counters.started();
            detector.start();
            thread.start();
        }
    }

    void beginShutdown(long requestedAt, long timeoutNanos) {
        shutdown.begin(requestedAt, timeoutNanos);
    }

    CompletableFuture<ShutdownReport> terminationReport() {
        return shutdown.done();
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
                if (lifecycle.isShuttingDown() && shutdown.step(this::noPendingWork)) {
                    break;
                }
                if (ran == 0) {
                    idleState = lifecycle.value();
                    idle.idle(idleWork);
                    detector.loopWoke();
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
        return !mustStopRunning();
    }

    /**
     * Between callbacks: whether to stop running queued work. Only reads the clock while shutting
     * down, so a callback that returns after the deadline (say, interrupted) is not followed by
     * more work.
     */
    private boolean mustStopRunning() {
        int s = lifecycle.value();
        return s != Lifecycle.RUNNING && (s == Lifecycle.TERMINATED || lifecycle.deadlinePassed());
    }

    @Override
    public Timers timers() {
        return timers;
    }

    /** For tests in this package. */
    StuckDetector detector() {
        return detector;
    }

    @Override
    public boolean isParked() {
        return idle.isParked();
    }

    @Override
    public void wakeUp() {
        idle.wake(thread);
    }

    // ---------------------------------------------------------------- submission

    /**
     * Queues a task. {@code internal} submissions (completions of work the loop already owns) skip
     * the shutdown and capacity checks; only termination stops them.
     */
    @Override
    public void offer(Runnable task, boolean internal) {
        admission.requireAccepting(task, internal);
        if (queue.bounded() && !queue.reserve(internal || inEventLoop())) {
            throw admission.full(task);
        }
        if (!enqueue(task)) {
            throw admission.reject(task, "it has terminated");
        }
    }

    /**
     * Queues work the loop already owns (an engine task, a cancelled timer's unlink message).
     * Once the loop has terminated it returns {@code false} instead, and that refusal is not a
     * rejection: no caller sees it, the caller applies the entry's termination contract, so it is
     * neither counted nor reported.
     */
    @Override
    public boolean offerOwned(Runnable task) {
        if (!admission.accepts(true)) {
            return false;
        }
        queue.reserve(true);
        return enqueue(task);
    }

    private boolean enqueue(Runnable task) {
        queue.offer(task);
        // Termination may have begun between our state check and the offer (Dekker: we offer then
        // read the state; the loop writes the state then sweeps). Either the loop's sweep sees the
        // task — then its termination contract applies — or we take it back ourselves.
        if (lifecycle.isTerminated() && shutdown.takeBack(task)) {
            return false;
        }
        wakeUp();
        return true;
    }

    /** Queues an engine task; once the loop has terminated, applies its termination contract instead. */
    @Override
    public void executeInternal(InternalTask task) {
        if (!offerOwned(task)) {
            task.runAtTermination();
        }
    }

    private void executeContinuation(Runnable continuation) {
        // continuations of loop futures finish work the loop already accepted, so a shutdown in
        // progress does not refuse them; after termination CompletableFuture completes the
        // dependent stage exceptionally with our RejectedExecutionException
        // an engine request keeps its own termination contract; a CompletableFuture continuation
        // is run at termination, the only way to complete its dependent stage; it is decorated
        // on the completing thread, so it runs in the context of the work that completed its stage
        if (continuation instanceof InternalTask engine) {
            offer(engine, true);
            return;
        }
        UnaryOperator<Runnable> decorator = settings.taskDecorator();
        offer((InternalTask) (decorator == null ? continuation : decorator.apply(continuation))::run, true);
    }

    @Override
    public Executor continuationExecutor() {
        return continuations;
    }

    /** Asynchronous or blocking work: a graceful shutdown waits for it. */
    void track(OwnedFuture<?> future) {
        inFlight.add(future);
    }

    /** A promise: tracked (cancelled at termination) but not waited for. */
    <T> Promise<T> newPromise() {
        Promise<T> p = new Promise<>(this);
        if (lifecycle.isTerminated()) {
            p.cancel(false);
        } else {
            promises.add(p);
            if (lifecycle.isTerminated()) {
                p.cancel(false);
            }
        }
        return p;
    }

    @Override
    public void untrack(OwnedFuture<?> future) {
        if (inFlight.remove(future) && lifecycle.isShuttingDown() && inFlight.isEmpty() && !inEventLoop()) {
            // the last in-flight work ended off the loop: a draining loop may now be done
            shutdown.requestWake();
            wakeUp();
        }
        promises.remove(future);
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
    public Throwable debugOrigin() {
        return settings.debug() ? new Throwable("submitted here") : null;
    }

    @Override
    public long time() {
        return clock.nanoTime();
    }

    // ---------------------------------------------------------------- termination support

    @Override
    public void drainQueue(java.util.Collection<Runnable> into) {
        queue.drainTo(into);
    }

    @Override
    public boolean runUserCode(Runnable code) {
        boolean goOn = runCallback(code, null);
        counters.uncountTask(); // shutdown work, not a task of the drain
        return goOn;
    }

    @Override
    public int cancelQueuedFromOutside() {
        int cancelled = 0;
        // it only iterates: the queue has one consumer, the loop thread; plain tasks stay queued
        Iterator<Runnable> it = queue.iterator();
        while (it.hasNext()) {
            if (it.next() instanceof QueueEntry entry && entry.cancelFromOutside()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    @Override
    public Runnable pollQueue() {
        return queue.poll();
    }

    @Override
    public int cancelTracked() {
        int cancelled = 0;
        for (OwnedFuture<?> f : List.copyOf(inFlight)) {
            if (f.cancel(true)) {
                cancelled++;
            }
        }
        for (OwnedFuture<?> p : List.copyOf(promises)) {
            p.cancel(false);
        }
        return cancelled;
    }

    private boolean noPendingWork() {
        return queue.isEmpty() && inFlight.isEmpty();
    }

    @Override
    public int inFlightCount() {
        return inFlight.size();
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
    public int queueSize() {
        return queue.size();
    }

    @Override
    public int pendingTimers() {
        return timers.size();
    }

    LoopStats stats() {
        return stats.take();
    }
}

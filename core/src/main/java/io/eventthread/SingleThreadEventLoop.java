package io.eventthread;

import io.eventthread.TrackedFutures.AsyncTask;
import io.eventthread.TrackedFutures.BlockingTask;
import io.eventthread.TrackedFutures.Promise;
import io.eventthread.TrackedFutures.Tracked;
import io.eventthread.internal.TimerHeap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * The one implementation of {@link EventLoop}: a JCTools MPSC queue drained in batches by one
 * thread, an indexed timer heap, and a wake-up flag so producers unpark the thread only when it
 * really parked.
 */
final class SingleThreadEventLoop extends AbstractExecutorService implements EventLoop {

    static final int ST_NEW = 0;
    static final int ST_RUNNING = 1;
    static final int ST_SHUTTING_DOWN = 2;
    static final int ST_TERMINATED = 3;

    /** Tasks run per batch before the loop looks at its timers again. */
    private static final int MAX_BATCH = 1024;
    /** Queue chunk size: one allocation per this many tasks in flight. */
    private static final int CHUNK_SIZE = 1024;
    /** Delays are capped so that deadlines compare correctly by subtraction. */
    private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;

    private static final VarHandle STATE;
    private static final VarHandle PARKED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(SingleThreadEventLoop.class, "state", int.class);
            PARKED = lookup.findVarHandle(SingleThreadEventLoop.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventThread group;
    private final Settings.LoopSettings settings;
    private final BlockingPool blockingPool;
    private final LoopClock clock;
    // the atomic (field-updater) flavour: the Unsafe one warns on Java 24+ and will stop working
    private final MessagePassingQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(CHUNK_SIZE);
    private final TimerHeap<ScheduledTask<?>> timers = new TimerHeap<>();
    private final Thread thread;
    private final LoopInstruments instruments;
    private final LoopShutdown shutdown;
    private final Executor continuations = this::executeContinuation;
    /** submitAsync and runBlocking work in flight: a graceful shutdown waits for it. */
    private final Set<Tracked<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** newFuture promises: cancelled at termination, but not waited for. */
    private final Set<Tracked<?>> promises = ConcurrentHashMap.newKeySet();

    private volatile int state = ST_NEW;
    /** 1 while the loop thread is parked or about to park; producers flip it to 0 and unpark. */
    private volatile int parked;
    private long timerSequence;

    SingleThreadEventLoop(EventThread group, Settings.LoopSettings settings, BlockingPool blockingPool, int index) {
        this.group = group;
        this.settings = settings;
        this.blockingPool = blockingPool;
        this.clock = settings.clock();
        String name = settings.threadNamePrefix() + "-" + (index + 1);
        ThreadFactory factory = settings.threadFactory();
        Runnable body = this::run;
        this.thread = factory != null ? factory.newThread(body) : new Thread(body, name);
        if (factory == null) {
            thread.setDaemon(false);
        }
        this.instruments = new LoopInstruments(this, settings);
        this.shutdown = new LoopShutdown(this, settings);
    }

    // ---------------------------------------------------------------- life cycle

    void start() {
        if (STATE.compareAndSet(this, ST_NEW, ST_RUNNING)) {
            instruments.started();
            thread.start();
        }
    }

    int stateValue() {
        return state;
    }

    boolean casState(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    Thread thread() {
        return thread;
    }

    LoopShutdown shutdownControl() {
        return shutdown;
    }

    LoopInstruments instruments() {
        return instruments;
    }

    private void run() {
        try {
            while (state != ST_TERMINATED) {
                int ran = runDueTimers();
                ran += drainQueue();
                if (state == ST_SHUTTING_DOWN && shutdown.step(this::noPendingWork, timers)) {
                    break;
                }
                if (ran == 0) {
                    idle();
                }
            }
        } catch (Throwable fatal) {
            // only a failure of the loop's own code gets here: report it, then stop cleanly
            instruments.reportUncaught(fatal);
        } finally {
            shutdown.loopExited(timers);
        }
    }

    private int drainQueue() {
        int ran = 0;
        Runnable task;
        while (ran < MAX_BATCH && state != ST_TERMINATED && (task = queue.relaxedPoll()) != null) {
            ran++;
            if (!runCallback(task, null)) {
                break;
            }
        }
        instruments.idleSince();
        return ran;
    }

    private int runDueTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        int ran = 0;
        long now = clock.nanoTime();
        ScheduledTask<?> timer;
        while ((timer = timers.peek()) != null && timer.deadlineNanos() - now <= 0 && ran < MAX_BATCH) {
            timers.poll();
            ran++;
            if (!runCallback(timer, timer)) {
                break;
            }
        }
        instruments.idleSince();
        return ran;
    }

    /**
     * Runs one callback with its bookkeeping: a queued task, or a due {@code timer} (which fires
     * rather than runs: {@code run()} is its queue message).
     * @return whether to go on running callbacks
     */
    private boolean runCallback(Runnable task, ScheduledTask<?> timer) {
        instruments.beforeTask();
        try {
            if (timer == null) {
                task.run();
            } else {
                timer.fire();
            }
        } catch (Throwable failure) {
            instruments.callbackThrew(task, failure);
        }
        // an interrupt is scoped to the callback that got (or raised) it: one left behind would
        // fail the next callback's interruptible wait. A field read when there is none.
        Thread.interrupted();
        instruments.afterTask(task);
        return !mustStopRunning();
    }

    /**
     * Between callbacks: whether to stop running queued work. Only reads the clock while shutting
     * down, so a callback that returns after the deadline (say, interrupted) is not followed by
     * more work.
     */
    private boolean mustStopRunning() {
        int s = state;
        return s != ST_RUNNING && (s == ST_TERMINATED || shutdown.deadlinePassed());
    }

    private void idle() {
        int s = state;
        long spin = settings.idleSpinNanos();
        if (spin > 0) {
            long until = System.nanoTime() + spin;
            while (queue.isEmpty() && state == s) {
                if (System.nanoTime() - until >= 0) {
                    break;
                }
                Thread.onSpinWait();
            }
            if (!queue.isEmpty() || state != s) {
                return;
            }
        }
        long parkNanos = parkNanos();
        if (parkNanos == 0) {
            return;
        }
        parked = 1;
        // Dekker with producers and with a shutdown: they offer (or change the state, or end the
        // last in-flight work), then read `parked`; we write `parked`, then read the queue, the
        // state and the wake request. One side sees the other, so no wake-up is lost.
        if (!queue.isEmpty() || state != s || shutdown.takeWakeRequest()) {
            parked = 0;
            return;
        }
        // an interrupt left by a callback (or by a shutdown's interrupt) would make park return at once
        Thread.interrupted();
        if (parkNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, parkNanos);
        }
        parked = 0;
    }

    /** Nanoseconds until the next timer or the shutdown deadline; -1 for none; 0 if due now. */
    private long parkNanos() {
        long wait = -1;
        ScheduledTask<?> next = timers.peek();
        if (next != null) {
            wait = Math.max(0, next.deadlineNanos() - clock.nanoTime());
        }
        if (state == ST_SHUTTING_DOWN) {
            long untilDeadline = Math.max(0, shutdown.deadlineNanos() - System.nanoTime());
            wait = wait < 0 ? untilDeadline : Math.min(wait, untilDeadline);
        }
        return wait;
    }

    /** Unparks the loop thread if it parked; cheap when it is awake. */
    void wakeUp() {
        if (parked == 1 && PARKED.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(thread);
        }
    }

    // ---------------------------------------------------------------- submission

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        UnaryOperator<Runnable> decorator = settings.taskDecorator();
        offer(decorator == null ? task : new DecoratedRunnable(task, decorator.apply(task)), false);
    }

    /** The task as the group's decorator wants it run; the task itself without one. */
    private <T> Callable<T> decorate(Callable<T> task) {
        UnaryOperator<Runnable> decorator = settings.taskDecorator();
        return decorator == null ? task : new DecoratedCallable<>(task, decorator);
    }

    /**
     * Queues a task. {@code internal} submissions (completions of work the loop already owns) skip
     * the shutdown and capacity checks; only termination stops them.
     */
    private void offer(Runnable task, boolean internal) {
        requireAccepting(task, internal);
        if (settings.bounded() && !internal && !inEventLoop() && queue.size() >= settings.queueCapacity()) {
            throw reject(task, "its queue is full (capacity " + settings.queueCapacity() + ")");
        }
        queue.offer(task);
        // Termination may have begun between our state check and the offer (Dekker: we offer then
        // read the state; the loop writes the state then sweeps). Either the loop's sweep sees the
        // task — then it is cancelled or reported never started — or we take it back ourselves.
        if (state == ST_TERMINATED && shutdown.takeBack(task)) {
            throw reject(task, "it has terminated");
        }
        wakeUp();
    }

    /** Queues a completion of work the loop owns; after termination runs it on the caller. */
    void executeInternal(LoopInternal task) {
        if (state == ST_TERMINATED) {
            task.run();
            return;
        }
        try {
            offer(task, true);
        } catch (RejectedExecutionException terminated) {
            task.run();
        }
    }

    /** The executor behind {@link LoopFuture#defaultExecutor()}. */
    Executor continuationExecutor() {
        return continuations;
    }

    private void executeContinuation(Runnable continuation) {
        // continuations of loop futures finish work the loop already accepted, so a shutdown in
        // progress does not refuse them; after termination CompletableFuture completes the
        // dependent stage exceptionally with our RejectedExecutionException
        offer(continuation, true);
    }

    /**
     * Throws unless the loop takes new work: while running; while shutting down, from its own
     * callbacks or for work it already owns ({@code internal}); never before start or after
     * termination.
     */
    private void requireAccepting(Object task, boolean internal) {
        int s = state;
        if (s != ST_RUNNING && !(s == ST_SHUTTING_DOWN && (internal || inEventLoop()))) {
            throw reject(task, s == ST_NEW ? "it has not been started"
                    : s == ST_SHUTTING_DOWN ? "it is shutting down" : "it has terminated");
        }
    }

    private RejectedExecutionException reject(Object task, String why) {
        String message = "Event loop '" + name() + "' rejected " + describe(task) + ": " + why;
        instruments.rejected(message);
        return new RejectedExecutionException(message);
    }

    @Override
    public LoopHandle callSoon(Runnable task) {
        LoopTask<Void> handle = newTask(Settings.<Void>callable(task, null)).reportingToHandler();
        offer(handle, false);
        return handle;
    }

    @Override
    public LoopHandle callLater(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        return schedule(Settings.callable(task, null), deadlineAfter(saturatedNanos(delay)), 0, ScheduledTask.Kind.PLAIN, true);
    }

    @Override
    public LoopHandle callAt(long loopTimeNanos, Runnable task) {
        long now = time();
        long delta = loopTimeNanos - now;
        if (((loopTimeNanos ^ now) & (loopTimeNanos ^ delta)) < 0) {
            // the subtraction overflowed (Long.MIN_VALUE, Long.MAX_VALUE, a clock with a negative
            // origin): the true distance is beyond any delay, in the direction of the operands
            delta = loopTimeNanos < now ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long deadline = delta < 0 ? now : delta > MAX_DELAY_NANOS ? now + MAX_DELAY_NANOS : loopTimeNanos;
        return schedule(Settings.callable(task, null), deadline, 0, ScheduledTask.Kind.PLAIN, true);
    }

    @Override
    public <T> LoopFuture<T> submit(Callable<T> task) {
        LoopTask<T> f = newTask(task);
        offer(f, false);
        return f;
    }

    @Override
    public LoopFuture<?> submit(Runnable task) {
        return submit(Settings.callable(task, null));
    }

    @Override
    public <T> LoopFuture<T> submit(Runnable task, T result) {
        return submit(Settings.callable(task, result));
    }

    @Override
    public <T> LoopFuture<T> submitAsync(Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        UnaryOperator<Runnable> decorator = settings.taskDecorator();
        if (decorator != null) {
            Callable<? extends CompletionStage<T>> decorated = new DecoratedCallable<>(work::get, decorator);
            Supplier<? extends CompletionStage<T>> original = work;
            work = new Supplier<CompletionStage<T>>() {
                @Override
                public CompletionStage<T> get() {
                    try {
                        return decorated.call();
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }

                @Override
                public String toString() {
                    return original.toString();
                }
            };
        }
        AsyncTask<T> f = new AsyncTask<>(this, work);
        inFlight.add(f);
        try {
            offer(f, false);
        } catch (RejectedExecutionException e) {
            inFlight.remove(f);
            throw e;
        }
        return f;
    }

    @Override
    public <T> LoopFuture<T> runBlocking(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        requireAccepting(task, false);
        BlockingTask<T> f = new BlockingTask<>(this, decorate(task));
        inFlight.add(f);
        blockingPool.submit(f, this);
        return f;
    }

    @Override
    public LoopFuture<Void> sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return schedule(EventLoop.<Void>labeled("sleep(" + delay + ")", () -> null), deadlineAfter(saturatedNanos(delay)), 0,
                ScheduledTask.Kind.WORK);
    }

    @Override
    public <T> LoopFuture<T> newFuture() {
        Promise<T> p = new Promise<>(this);
        if (state == ST_TERMINATED) {
            p.cancel(false);
        } else {
            promises.add(p);
            if (state == ST_TERMINATED) {
                p.cancel(false);
            }
        }
        return p;
    }

    @Override
    public <T> LoopFuture<T> timeout(CompletionStage<T> stage, Duration timeout) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(timeout, "timeout");
        LoopFuture<T> result = newFuture();
        long nanos = saturatedNanos(timeout);
        TimeoutException timedOut = new TimeoutException("timed out after " + Duration.ofNanos(nanos));
        boolean[] expired = new boolean[1];
        ScheduledTask<Void> timer = schedule(EventLoop.<Void>labeled("timeout(" + Duration.ofNanos(nanos) + ")", () -> {
            if (!result.isDone()) {
                // as asyncio's wait_for: cancel the awaited stage first, then fail the caller
                expired[0] = true;
                try {
                    stage.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                    // nothing to cancel
                }
                result.completeExceptionally(timedOut);
            }
            return null;
        }), deadlineAfter(nanos), 0, ScheduledTask.Kind.WORK);
        timer.holdsShutdown();
        stage.whenComplete((value, failure) -> {
            LoopInternal finish = () -> {
                timer.cancel();
                if (expired[0]) {
                    result.completeExceptionally(timedOut);
                } else if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                }
            };
            if (inEventLoop()) {
                finish.run();
            } else {
                executeInternal(finish);
            }
        });
        result.whenComplete((v, f) -> {
            if (result.isCancelled()) {
                timer.cancel();
                stage.toCompletableFuture().cancel(true);
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- ScheduledExecutorService

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return schedule(Settings.callable(command, null), deadlineAfter(unit.toNanos(delay)), 0, ScheduledTask.Kind.PLAIN);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        Objects.requireNonNull(unit, "unit");
        return schedule(callable, deadlineAfter(unit.toNanos(delay)), 0, ScheduledTask.Kind.PLAIN);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        return schedule(Settings.callable(command, null), deadlineAfter(unit.toNanos(initialDelay)),
                Math.min(unit.toNanos(period), MAX_DELAY_NANOS), ScheduledTask.Kind.PERIODIC);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        return schedule(Settings.callable(command, null), deadlineAfter(unit.toNanos(initialDelay)),
                -Math.min(unit.toNanos(delay), MAX_DELAY_NANOS), ScheduledTask.Kind.PERIODIC);
    }

    private <T> ScheduledTask<T> schedule(Callable<T> callable, long deadline, long period, ScheduledTask.Kind kind) {
        return schedule(callable, deadline, period, kind, false);
    }

    private <T> ScheduledTask<T> schedule(Callable<T> callable, long deadline, long period, ScheduledTask.Kind kind,
            boolean handle) {
        ScheduledTask<T> timer = new ScheduledTask<>(this, decorate(callable), deadline, period, kind);
        if (handle) {
            timer.reportingToHandler();
        }
        if (inEventLoop() && state != ST_TERMINATED) {
            timer.markInserted();
            insertTimer(timer);
        } else {
            offer(timer, false);
        }
        return timer;
    }

    private long deadlineAfter(long delayNanos) {
        return time() + Math.max(0, Math.min(delayNanos, MAX_DELAY_NANOS));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? 0 : MAX_DELAY_NANOS;
        }
    }

    /** On the loop: adds a timer to the heap, unless shutdown policy says otherwise. */
    void insertTimer(ScheduledTask<?> timer) {
        if (state == ST_SHUTTING_DOWN && !shutdown.admits(timer)) {
            shutdown.cancelByPolicy(timer);
            return;
        }
        timer.sequence(timerSequence++);
        timers.add(timer);
    }

    /** On the loop: unlinks a timer. */
    void removeTimer(ScheduledTask<?> timer) {
        timers.remove(timer);
    }

    /** Called from any thread once a timer is cancelled: unlink it now, or send it to the loop. */
    void timerCancelled(ScheduledTask<?> timer) {
        if (inEventLoop()) {
            timers.remove(timer);
        } else if (state != ST_TERMINATED) {
            try {
                // Not lazily, as Netty does: an idle loop would hold the cancelled timer until its
                // deadline. The wake-up is free while the loop is awake or spinning, as in bursts.
                offer(timer, true);
            } catch (RejectedExecutionException terminated) {
                // the termination sweep releases it
            }
        }
    }

    // ---------------------------------------------------------------- tasks

    <T> LoopTask<T> newTask(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        return new LoopTask<>(this, decorate(callable), time());
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return newTask(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return newTask(Settings.callable(runnable, value));
    }

    void taskStarted(LoopFuture<?> task, long dueAt) {
        instruments.taskStarted(task, dueAt);
    }

    Throwable debugOrigin() {
        return settings.debug() ? new Throwable("submitted here") : null;
    }

    void taskFailed(LoopTask<?> task, Throwable failure) {
        instruments.taskFailed(task, failure, true);
    }

    void workFailed(LoopTask<?> task, Throwable failure) {
        instruments.taskFailed(task, failure, false);
    }

    void untrack(Tracked<?> future) {
        if (inFlight.remove(future) && state == ST_SHUTTING_DOWN && inFlight.isEmpty() && !inEventLoop()) {
            // the last in-flight work ended off the loop: a draining loop may now be done
            shutdown.requestWake();
            wakeUp();
        }
        promises.remove(future);
    }

    void spinUntilDone(CompletableFuture<?> future) {
        long spin = settings.idleSpinNanos();
        if (spin == 0) {
            return;
        }
        long until = System.nanoTime() + spin;
        while (!future.isDone() && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------- termination support

    /**
     * Empties the queue at termination, by the loop thread or (after it) under the sweep lock:
     * futures are cancelled, continuations and internal tasks run, plain tasks are reported.
     */
    int sweepQueue(List<Runnable> neverStarted) {
        int cancelled = 0;
        Runnable task;
        while ((task = queue.poll()) != null) {
            cancelled += cancelQueued(task, neverStarted);
        }
        return cancelled;
    }

    /**
     * From another thread, for a forced termination: cancels the futures it can see queued. It
     * only iterates (the queue has one consumer, the loop thread); plain tasks stay queued.
     */
    int cancelQueuedFromOutside() {
        int cancelled = 0;
        Iterator<Runnable> it = ((MpscUnboundedAtomicArrayQueue<Runnable>) queue).iterator();
        while (it.hasNext()) {
            Runnable task = it.next();
            if (task instanceof CompletableFuture.AsynchronousCompletionTask || task instanceof LoopInternal) {
                // cannot be completed from here without running code off the loop: the stage it
                // completes does so only if the stuck thread ever returns
                continue;
            }
            if (task instanceof Future<?> f && f.cancel(false)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    Runnable pollQueue() {
        return queue.poll();
    }

    private static int cancelQueued(Runnable task, List<Runnable> neverStarted) {
        if (task instanceof LoopInternal internal) {
            try {
                internal.runAtTermination();
            } catch (Throwable ignored) {
                // the future it completes carries the failure
            }
            return 0;
        }
        // before the Future check: a continuation is also a Future (a ForkJoinTask), but
        // cancelling it would not complete its dependent stage
        if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
            // running it is the only way to complete that stage; anything it submits now is
            // rejected, so this terminates
            try {
                task.run();
            } catch (Throwable ignored) {
                // the dependent stage carries the failure
            }
            return 0;
        }
        if (task instanceof ScheduledTask<?> timer && timer.isDone()) {
            return 0; // a removal message
        }
        if (task instanceof Future<?> f) {
            if (!f.isDone()) {
                f.cancel(false);
                return 1;
            }
            return 0;
        }
        // the caller's own task, not our decoration of it
        neverStarted.add(task instanceof DecoratedRunnable d ? d.original : task);
        return 1;
    }

    /** Cancels in-flight work and promises; returns how much work was cancelled. */
    int cancelTracked() {
        int cancelled = 0;
        for (Tracked<?> f : List.copyOf(inFlight)) {
            if (f.cancel(true)) {
                cancelled++;
            }
        }
        for (Tracked<?> p : List.copyOf(promises)) {
            p.cancel(false);
        }
        return cancelled;
    }

    private boolean noPendingWork() {
        return queue.isEmpty() && inFlight.isEmpty();
    }

    int inFlightCount() {
        return inFlight.size();
    }

    int queueSize() {
        return queue.size();
    }

    int pendingTimers() {
        return timers.size();
    }

    Object[] timerSnapshot() {
        return timers.snapshot();
    }

    static String describe(Object task) {
        if (task == null) {
            return "a task";
        }
        String s;
        try {
            s = task.toString();
        } catch (RuntimeException e) {
            s = task.getClass().getName();
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    // ---------------------------------------------------------------- EventLoop queries

    @Override
    public String name() {
        return thread.getName();
    }

    @Override
    public EventThread group() {
        return group;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public long time() {
        return clock.nanoTime();
    }

    @Override
    public LoopHandle onShutdown(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return shutdown.register(callback);
    }

    @Override
    public LoopState state() {
        return LoopState.values()[state];
    }

    @Override
    public LoopStats stats() {
        return instruments.snapshot();
    }

    @Override
    public StackTraceElement[] threadStack() {
        return state == ST_TERMINATED && !thread.isAlive() ? new StackTraceElement[0] : thread.getStackTrace();
    }

    // ---------------------------------------------------------------- ExecutorService (group-wide)

    @Override
    public void shutdown() {
        group.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return group.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return group.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return group.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return group.awaitTermination(timeout, unit);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        requireNotOnLoop("invokeAll()");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        requireNotOnLoop("invokeAny()");
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        requireNotOnLoop("invokeAny()");
        return super.invokeAny(tasks, timeout, unit);
    }

    private void requireNotOnLoop(String method) {
        if (inEventLoop()) {
            throw new IllegalStateException(method + " on loop thread '" + name() + "' would wait for tasks this "
                    + "loop must run itself: submit them and combine the futures with CompletableFuture instead");
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + ", " + state() + "]";
    }
}

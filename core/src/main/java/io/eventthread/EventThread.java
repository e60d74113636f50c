package io.eventthread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A group of {@link EventLoop}s, each in its own non-daemon thread: the entry point of the library.
 *
 * <pre>{@code
 * try (EventThread loops = EventThread.builder().loopCount(2).build().start()) {
 *     LoopFuture<String> greeting = loops.next().submit(() -> "hello from " + Thread.currentThread().getName());
 *     System.out.println(greeting.await(Duration.ofSeconds(1)));
 * }
 * }</pre>
 *
 * <p>As a {@link ScheduledExecutorService} the group hands each task to {@link #next()}, round
 * robin. Work that must stay in order or touch shared state belongs on one loop: pick it with
 * {@link #loopFor(Object)}, which always gives the same loop for equal keys.
 *
 * <h2>Shutdown</h2>
 * {@link #shutdownGracefully(Duration)} rejects new submissions from outside the loops at once,
 * cancels periodic tasks and (by {@link TimerShutdownPolicy}) plain timers not yet due, and lets
 * queued tasks and in-flight work finish until the deadline. At the deadline everything still
 * pending is cancelled; a loop thread still inside a callback is interrupted, and if it does not
 * return within a short grace it is reported {@link ShutdownReport.Outcome#FORCED FORCED} and left
 * behind. The returned future completes within the timeout plus that grace either way. After
 * termination every future any loop handed out is done. {@link #close()} shuts down with the
 * configured timeout and waits; the {@link java.util.concurrent.ExecutorService} methods keep
 * their contract ({@link #shutdownNow()} uses a zero timeout).
 *
 * <p>Instances are thread-safe.
 */
public final class EventThread extends AbstractExecutorService implements ScheduledExecutorService, AutoCloseable {

    /**
     * Time allowed, after a shutdown deadline, for an interrupted loop thread to return before it
     * is reported {@link ShutdownReport.Outcome#FORCED FORCED}: a shutdown completes within its
     * timeout plus this grace.
     */
    public static final Duration FORCE_GRACE = Duration.ofMillis(200);

    private final Settings.LoopSettings settings;
    private final List<SingleThreadEventLoop> loops;
    private final List<EventLoop> loopView;
    private final BlockingPool blockingPool;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final GroupShutdown shutdown;

    private EventThread(Settings.LoopSettings settings) {
        this.settings = settings;
        this.blockingPool = new BlockingPool(settings);
        List<SingleThreadEventLoop> created = new ArrayList<>(settings.loopCount());
        for (int i = 0; i < settings.loopCount(); i++) {
            created.add(new SingleThreadEventLoop(this, settings, blockingPool, i));
        }
        this.loops = List.copyOf(created);
        this.loopView = List.copyOf(created);
        this.shutdown = new GroupShutdown(this, loops, blockingPool);
    }

    /**
     * A builder with the defaults: one loop, threads named {@code eventthread-N}, a 10 second
     * shutdown timeout, an unbounded task queue.
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the loop threads. Calling it again has no effect.
     * @return this group
     * @throws IllegalStateException if the group was already shut down
     */
    public EventThread start() {
        if (shutdown.isShutdown()) {
            throw new IllegalStateException("EventThread '" + settings.threadNamePrefix()
                    + "' was shut down and cannot be started again; build a new one");
        }
        for (SingleThreadEventLoop loop : loops) {
            loop.start();
        }
        return this;
    }

    /**
     * The next loop, round robin.
     * @return a loop of this group
     */
    public EventLoop next() {
        if (loops.size() == 1) {
            return loops.get(0);
        }
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /**
     * The loop for a key: equal keys always get the same loop for the life of the group, so work
     * per key runs in order on one thread.
     * @param key the affinity key, by its {@code hashCode}
     * @return the loop owning {@code key}
     */
    public EventLoop loopFor(Object key) {
        Objects.requireNonNull(key, "key");
        int h = key.hashCode();
        h ^= (h >>> 16);
        return loops.get(Math.floorMod(h * 0x9E3779B9, loops.size()));
    }

    /**
     * The loops of this group, in creation order.
     * @return an unmodifiable list
     */
    public List<EventLoop> loops() {
        return loopView;
    }

    /**
     * The thread name prefix, which also names the group in logs and metrics.
     * @return the prefix
     */
    public String name() {
        return settings.threadNamePrefix();
    }

    /**
     * The pool behind {@link EventLoop#runBlocking}, for monitoring (for example with Micrometer's
     * {@code ExecutorServiceMetrics}). Submitting to it directly bypasses the loops: the futures
     * would not complete on a loop, and shutdown would not wait for them.
     * @return the blocking pool
     */
    public java.util.concurrent.ExecutorService blockingExecutor() {
        return blockingPool.executor();
    }

    /**
     * The slow-callback threshold the loops use.
     * @return the threshold
     */
    public Duration slowCallbackThreshold() {
        return Duration.ofNanos(settings.slowCallbackThresholdNanos());
    }

    /**
     * The stuck threshold the loops use.
     * @return the threshold
     */
    public Duration stuckThreshold() {
        return Duration.ofNanos(settings.stuckThresholdNanos());
    }

    /**
     * How often the watchdog checks the loops.
     * @return the interval
     */
    public Duration watchdogInterval() {
        return Duration.ofNanos(settings.watchdogIntervalNanos());
    }

    /**
     * The timeout {@link #close()} and {@link #shutdownGracefully()} use.
     * @return the configured shutdown timeout
     */
    public Duration shutdownTimeout() {
        return settings.shutdownTimeout();
    }

    /**
     * Starts a graceful shutdown with the configured timeout; see the class documentation.
     * @return a future completed with the report when the group has terminated
     */
    public CompletableFuture<ShutdownReport> shutdownGracefully() {
        return shutdownGracefully(settings.shutdownTimeout());
    }

    /**
     * Starts a graceful shutdown; see the class documentation. Concurrent and repeated calls share
     * the first call's deadline and result. It never waits, so it may be called from a loop.
     * @param timeout the time queued and in-flight work has to finish; zero cancels it at once
     * @return a future completed with the report when the group has terminated
     */
    public CompletableFuture<ShutdownReport> shutdownGracefully(Duration timeout) {
        Settings.requireNonNegative("timeout", timeout);
        return shutdown.begin(timeout).copy();
    }

    /**
     * A future completed with the report when the group has terminated; it never completes
     * exceptionally.
     * @return a copy of the termination future
     */
    public CompletableFuture<ShutdownReport> terminationFuture() {
        return shutdown.termination().copy();
    }

    /**
     * Registers a callback for the group's termination: seed 001's {@code add_done_callback}.
     * Callbacks run in registration order on the thread that terminates the group, before
     * {@link #terminationFuture()} completes and so before {@link #close()} returns; registered
     * after termination, a callback runs at once on the calling thread. What one throws is logged.
     * @param callback receives the report
     */
    public void onTermination(Consumer<? super ShutdownReport> callback) {
        Objects.requireNonNull(callback, "callback");
        shutdown.onTermination(callback);
    }

    /**
     * Shuts down gracefully with the configured timeout, waits for termination (plus the force
     * grace), then for the loop threads to end — except a thread left behind stuck, as the
     * report's {@link ShutdownReport.Outcome#FORCED FORCED} outcome says. Not allowed on a loop
     * thread, where waiting would deadlock: use {@link #shutdownGracefully()} there.
     * @throws IllegalStateException on a loop thread of this group
     */
    @Override
    public void close() {
        requireNotOnLoop("close()");
        CompletableFuture<ShutdownReport> done = shutdown.begin(settings.shutdownTimeout());
        boolean interrupted = false;
        ShutdownReport report;
        while (true) {
            try {
                report = done.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("shutdown failed", e.getCause());
            }
        }
        for (SingleThreadEventLoop loop : loops) {
            if (report.stuckLoops().containsKey(loop.name())) {
                continue;
            }
            try {
                // terminated: the thread has only its last few instructions left
                loop.thread().join(FORCE_GRACE.toMillis());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a graceful shutdown with the configured timeout, without waiting. */
    @Override
    public void shutdown() {
        shutdown.begin(settings.shutdownTimeout());
    }

    /**
     * Shuts down with a zero timeout: pending work is cancelled, loop threads inside a callback
     * are interrupted. Off the loops, waits (at most the force grace) for the loops to stop.
     * @return the plain {@code Runnable}s accepted and never started
     */
    @Override
    public List<Runnable> shutdownNow() {
        CompletableFuture<ShutdownReport> done = shutdown.begin(Duration.ZERO);
        if (!inAnyLoop()) {
            try {
                done.get(FORCE_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the report says what happened; the list holds what was collected so far
            }
        }
        return shutdown.neverStarted();
    }

    @Override
    public boolean isShutdown() {
        return shutdown.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return shutdown.isTerminated();
    }

    /**
     * Waits for termination.
     * @throws IllegalStateException on a loop thread of this group, where waiting would deadlock
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        requireNotOnLoop("awaitTermination()");
        try {
            shutdown.termination().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Runs the task on {@link #next()}. */
    @Override
    public void execute(Runnable command) {
        next().execute(command);
    }

    @Override
    public <T> LoopFuture<T> submit(Callable<T> task) {
        return next().submit(task);
    }

    @Override
    public LoopFuture<?> submit(Runnable task) {
        return next().submit(task);
    }

    @Override
    public <T> LoopFuture<T> submit(Runnable task, T result) {
        return next().submit(task, result);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return next().schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return next().schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return next().scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return next().scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return ((SingleThreadEventLoop) next()).newTask(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return ((SingleThreadEventLoop) next()).newTask(Settings.callable(runnable, value));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        requireNotOnLoop("invokeAll()");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        requireNotOnLoop("invokeAny()");
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        requireNotOnLoop("invokeAny()");
        return super.invokeAny(tasks, timeout, unit);
    }

    @Override
    public String toString() {
        return "EventThread[" + settings.threadNamePrefix() + ", " + loops.size() + " loops, "
                + (isTerminated() ? "terminated" : isShutdown() ? "shutting down" : "running") + "]";
    }

    private boolean inAnyLoop() {
        for (SingleThreadEventLoop loop : loops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private void requireNotOnLoop(String method) {
        if (inAnyLoop()) {
            throw new IllegalStateException(method + " called on loop thread '" + Thread.currentThread().getName()
                    + "' would wait for this loop to stop, which it cannot while it waits: call "
                    + "shutdownGracefully(), which returns a future, from the loop instead");
        }
    }

    /**
     * Builds an {@link EventThread}. Every setting has a default; {@link #build()} validates them
     * all and names the setting and its valid range in the message of any
     * {@link IllegalArgumentException}.
     */
    public static final class Builder {

        private final Settings s = new Settings();

        private Builder() {
        }

        /**
         * The number of loops, 1 to 1024; default 1.
         * @param loopCount the number of loops
         * @return this builder
         */
        public Builder loopCount(int loopCount) {
            s.loopCount = loopCount;
            return this;
        }

        /**
         * The prefix of the loop thread names ({@code prefix-1}, {@code prefix-2}, …) and the
         * group's name; default {@code eventthread}.
         * @param prefix the prefix
         * @return this builder
         */
        public Builder threadNamePrefix(String prefix) {
            s.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * The timeout of {@link EventThread#close()} and {@link EventThread#shutdownGracefully()};
         * default 10 seconds.
         * @param timeout a non-negative duration
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            s.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * What a graceful shutdown does with plain timers not yet due; default
         * {@link TimerShutdownPolicy#CANCEL}.
         * @param policy the policy
         * @return this builder
         */
        public Builder timerShutdownPolicy(TimerShutdownPolicy policy) {
            s.timerShutdownPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Bounds each loop's task queue: submissions from outside the loop beyond it are rejected
         * with {@link RejectedExecutionException}. The bound is checked without locking, so
         * concurrent producers may overshoot it by at most their number. Default unbounded.
         * @param capacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            s.queueCapacity = capacity;
            return this;
        }

        /**
         * The maximum number of threads of the blocking pool behind
         * {@link EventLoop#runBlocking}; default {@code min(32, cores + 4)}, as asyncio's default
         * executor.
         * @param maxThreads at least 1
         * @return this builder
         */
        public Builder blockingMaxThreads(int maxThreads) {
            s.blockingMaxThreads = maxThreads;
            return this;
        }

        /**
         * How many blocking tasks may wait for a thread of the blocking pool before further ones
         * are rejected; default 10,000.
         * @param capacity at least 0 (0: hand-off, no waiting)
         * @return this builder
         */
        public Builder blockingQueueCapacity(int capacity) {
            s.blockingQueueCapacity = capacity;
            return this;
        }

        /**
         * How long an idle thread of the blocking pool lives; default 60 seconds.
         * @param keepAlive a positive duration
         * @return this builder
         */
        public Builder blockingKeepAlive(Duration keepAlive) {
            s.blockingKeepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /**
         * Whether the blocking pool runs each task on a new virtual thread (Java 21 and later)
         * instead of a bounded platform pool; {@link #blockingMaxThreads} then bounds concurrency.
         * Default false.
         * @param virtualThreads whether to use virtual threads
         * @return this builder
         */
        public Builder blockingVirtualThreads(boolean virtualThreads) {
            s.blockingVirtualThreads = virtualThreads;
            return this;
        }

        /**
         * Receives what plain tasks throw and every {@link Error}; default: logged at ERROR with
         * the loop name. The handler runs on the loop thread and must not block; what it throws
         * is logged and ignored.
         * @param handler the handler
         * @return this builder
         */
        public Builder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
            s.uncaughtExceptionHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Creates the loop threads; default: non-daemon threads named {@code prefix-N}. Threads
         * from a custom factory are used as they come.
         * @param factory the factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory factory) {
            s.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * How long an idle loop polls its queue before it parks its thread; default 10 µs.
         * Polling a little lets bursts of work arrive without paying the operating system's
         * wake-up (about 50 µs) each time; longer values trade CPU for latency. Zero parks at once.
         * @param spin a duration from zero to one second
         * @return this builder
         */
        public Builder idleSpin(Duration spin) {
            s.idleSpin = Objects.requireNonNull(spin, "spin");
            return this;
        }

        /**
         * A callback running at least this long is counted and logged as slow; default 100 ms,
         * as asyncio's debug mode.
         * @param threshold a positive duration
         * @return this builder
         */
        public Builder slowCallbackThreshold(Duration threshold) {
            s.slowCallbackThreshold = Objects.requireNonNull(threshold, "threshold");
            return this;
        }

        /**
         * A loop inside one callback longer than this is flagged stuck, and its stack logged;
         * default 2 seconds, as Vert.x.
         * @param threshold a positive duration
         * @return this builder
         */
        public Builder stuckThreshold(Duration threshold) {
            s.stuckThreshold = Objects.requireNonNull(threshold, "threshold");
            return this;
        }

        /**
         * How often the process-wide watchdog checks the loops for stuck callbacks and samples
         * their delay; default 500 ms.
         * @param interval a positive duration
         * @return this builder
         */
        public Builder watchdogInterval(Duration interval) {
            s.watchdogInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Whether to record where each task was submitted and print it with slow-callback
         * warnings, as asyncio's debug mode. It captures a stack per submission: off by default.
         * @param debug whether to enable debug mode
         * @return this builder
         */
        public Builder debug(boolean debug) {
            s.debug = debug;
            return this;
        }

        /**
         * Adds a listener for slow callbacks, stuck loops, failures and rejections.
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(EventLoopListener listener) {
            s.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The clock the loops read; default {@link LoopClock#SYSTEM}. For tests.
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(LoopClock clock) {
            s.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Wraps every task at submission, on the submitting thread, as Spring's
         * {@code TaskDecorator} does: to carry a context (MDC, tracing, security) from the
         * submitter into the loop and on into the blocking pool. Applies to {@code execute},
         * {@code submit}, {@code callSoon}, timers, {@code submitAsync}'s supplier and
         * {@code runBlocking}; not to {@code *Async} continuations, which run in the context of
         * the loop task that completes their stage. Default none, which costs nothing.
         * @param decorator returns the task to run in place of the given one
         * @return this builder
         */
        public Builder taskDecorator(java.util.function.UnaryOperator<Runnable> decorator) {
            s.taskDecorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * Validates the settings and creates the group, not yet started.
         * @return a new group; call {@link EventThread#start()}
         * @throws IllegalArgumentException naming the first invalid setting and its valid range
         */
        public EventThread build() {
            return new EventThread(s.validate());
        }
    }
}

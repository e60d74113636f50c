package io.eventthread;

import io.eventthread.internal.GroupBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
 * <p>A group is not an executor: it owns loops and their life cycle. Work goes to a loop —
 * {@link #next()} round robin, or {@link #loopFor(Object)}, which always gives the same loop for
 * equal keys, for work that must stay in order or touch shared state. A library that wants an
 * {@link java.util.concurrent.ExecutorService} gets a view from {@link #asExecutorService()}
 * (or {@link EventLoop#asExecutorService()}), which it may shut down without stopping the group.
 *
 * <h2>Shutdown</h2>
 * {@link #shutdownGracefully(Duration)} rejects new submissions from outside the loops at once,
 * cancels periodic tasks and (by {@link TimerShutdownPolicy}) plain timers not yet due, and lets
 * queued tasks and in-flight work finish until the deadline. At the deadline everything still
 * pending is cancelled; a loop thread still inside a callback is interrupted, and if it does not
 * return within a short grace it is reported {@link ShutdownReport.Outcome#FORCED FORCED} and left
 * behind. The returned future completes within the timeout plus that grace either way. After
 * termination every future any loop handed out is done. {@link #close()} shuts down with the
 * configured timeout and waits; {@link #shutdownNow()} shuts down with a zero timeout and hands
 * back the plain tasks that never ran.
 *
 * <p>Instances are thread-safe.
 */
public abstract class EventThread implements AutoCloseable {

    /** For the engine, which implements every group. */
    protected EventThread() {
    }

    /**
     * A builder with the defaults: one loop, threads named {@code eventthread-N}, a 10 second
     * shutdown timeout, an unbounded task queue.
     * @return a new builder
     */
    public static Builder builder() {
        return new GroupBuilder(); // the API's one edge into the engine
    }

    /**
     * Starts the loop threads. Calling it again has no effect.
     * @return this group
     * @throws IllegalStateException if the group was already shut down
     */
    public abstract EventThread start();

    /** @return the next loop of this group, round robin */
    public abstract EventLoop next();

    /**
     * The loop for a key: equal keys always get the same loop for the life of the group, so work
     * per key runs in order on one thread.
     * @param key the affinity key, by its {@code hashCode}
     * @return the loop owning {@code key}
     */
    public abstract EventLoop loopFor(Object key);

    /** @return the loops of this group, in creation order, as an unmodifiable list */
    public abstract List<EventLoop> loops();

    /**
     * The group's name, which names it in logs and metrics and prefixes its loop names
     * ({@code name-1}, {@code name-2}, …): the thread name prefix for the first live group with that
     * prefix, {@code prefix-2}, {@code prefix-3}, … for the next ones, so loop names are unique among
     * the live groups of the process.
     * @return the group's name
     */
    public abstract String name();

    /**
     * A read-only snapshot of the pool behind {@link EventLoop#runBlocking}, for monitoring. The
     * pool itself is not exposed: work submitted to it directly would bypass the loops.
     * @return the pool's figures now
     */
    public abstract BlockingPoolStats blockingPool();

    /** @return the slow-callback threshold the loops use */
    public abstract Duration slowCallbackThreshold();

    /** @return the stuck threshold the loops use */
    public abstract Duration stuckThreshold();

    /** @return how often the watchdog checks the loops */
    public abstract Duration watchdogInterval();

    /** @return the timeout {@link #close()} and {@link #shutdownGracefully()} use */
    public abstract Duration shutdownTimeout();

    /** @return the force grace: how long a loop interrupted at the deadline has before it is FORCED */
    public abstract Duration forceGrace();

    /**
     * A new {@link ScheduledExecutorService} over this group's loops, for libraries that take one
     * (Reactor's {@code Schedulers.fromExecutorService}, Kotlin's {@code asCoroutineDispatcher},
     * Spring's {@code TaskExecutor} adapters). Each task goes to a loop in turn; a delayed or
     * periodic task stays on one loop for all its runs. Each call returns a new view, independent
     * of the others.
     *
     * <p>The view's life cycle is its own and covers only the work submitted through it, with the
     * {@code ScheduledThreadPoolExecutor} defaults: {@code shutdown()} refuses new tasks, cancels
     * the view's periodic tasks and lets its queued tasks and delayed one-shot tasks run;
     * {@code awaitTermination} returns once they are done. {@code shutdownNow()} also cancels the
     * view's tasks that have not started and returns them (the {@code Runnable} given to
     * {@code execute}, the future for the others); a task already running on a loop is left to
     * finish: the loop thread is shared, and an interrupt meant for it could reach the next
     * callback instead. Neither ever stops the group, a loop or another view. Once the group
     * shuts down the view is shut down too, and once the group terminates, terminated; the
     * futures it handed out are then done. {@code invokeAll}/{@code invokeAny} and
     * {@code awaitTermination} on a loop thread of the group throw
     * {@link BlockingOperationException} instead of deadlocking.
     * @return a new view of this group
     */
    public abstract ScheduledExecutorService asExecutorService();

    /**
     * Starts a graceful shutdown with the configured timeout; see the class documentation.
     * @return a future completed with the report when the group has terminated
     */
    public CompletableFuture<ShutdownReport> shutdownGracefully() {
        return shutdownGracefully(shutdownTimeout());
    }

    /**
     * Starts a graceful shutdown; see the class documentation. Concurrent and repeated calls share
     * the first call's deadline and result. It never waits, so it may be called from a loop.
     * @param timeout the time queued and in-flight work has to finish; zero cancels it at once
     * @return a future completed with the report when the group has terminated
     */
    public abstract CompletableFuture<ShutdownReport> shutdownGracefully(Duration timeout);

    /**
     * Shuts down at once ({@link #shutdownGracefully(Duration) shutdownGracefully(Duration.ZERO)}):
     * pending work is cancelled, loop threads inside a callback are interrupted. Off the loops,
     * it waits (at most twice the force grace) for the loops to stop. The one record of the plain
     * tasks given to {@link EventLoop#execute} that never ran, which have no future to say so.
     * @return the plain {@code Runnable}s accepted and never started
     */
    public abstract List<Runnable> shutdownNow();

    /**
     * A future completed with the report when the group has terminated; it never completes
     * exceptionally.
     * @return a copy of the termination future
     */
    public abstract CompletableFuture<ShutdownReport> terminationFuture();

    /**
     * Registers a callback for the group's termination, as {@code add_done_callback}. Callbacks
     * run in registration order on the thread that terminates the group — the last loop thread to
     * finish, or, when a loop was {@link ShutdownReport.Outcome#FORCED FORCED}, a terminator thread
     * of the group's own (never the process-wide watchdog); waiting for the group there
     * ({@code close()}, {@code awaitTermination}) throws {@link BlockingOperationException}. They run before
     * {@link #terminationFuture()} completes and so before {@link #close()} returns; registered
     * after termination, a callback runs at once on the calling thread. What one throws is logged.
     * @param callback receives the report
     */
    public abstract void onTermination(Consumer<? super ShutdownReport> callback);

    /**
     * Shuts down gracefully with the configured timeout, waits for termination (plus the force
     * grace), then for the loop threads to end — except a thread left behind stuck, as the
     * report's {@link ShutdownReport.Outcome#FORCED FORCED} outcome says. Not allowed on a loop
     * thread, where waiting would deadlock: use {@link #shutdownGracefully()} there.
     * @throws BlockingOperationException on a loop thread of this group
     */
    @Override
    public abstract void close();

    /** @return whether a shutdown has begun */
    public abstract boolean isShutdown();

    /** @return whether the group has terminated: every loop has stopped and every future it handed out is done */
    public abstract boolean isTerminated();

    /**
     * Waits for termination; it does not start a shutdown.
     * @param timeout the longest wait
     * @return whether the group terminated in time
     * @throws InterruptedException if interrupted while waiting
     * @throws BlockingOperationException on a loop thread of this group, where waiting would deadlock
     */
    public abstract boolean awaitTermination(Duration timeout) throws InterruptedException;

    @Override
    public String toString() {
        return "EventThread[" + name() + ", " + loops().size() + " loops, "
                + (isTerminated() ? "terminated" : isShutdown() ? "shutting down" : "running") + "]";
    }

    /** For {@link EventLoop#current()}: the engine records each loop thread's loop (an edge, as builder() is). */
    static EventLoop runningLoop() { return io.eventthread.internal.RunningLoop.get(); }

    /**
     * Builds an {@link EventThread}. Every setting has a default (the {@code DEFAULT_*} constants);
     * {@link #violations()} checks them all and {@link #build()} refuses the first violation with
     * an {@link IllegalArgumentException} that names the setting and its valid range.
     */
    public interface Builder {

        /** The most loops a group may have. */
        int MAX_LOOP_COUNT = 1024;
        /** The most threads the blocking pool may have. */
        int MAX_BLOCKING_THREADS = 32_767;
        /** The longest idle spin. */
        Duration MAX_IDLE_SPIN = Duration.ofSeconds(1);

        /** Default of {@link #loopCount}. */
        int DEFAULT_LOOP_COUNT = 1;
        /** Default of {@link #threadNamePrefix}. */
        String DEFAULT_THREAD_NAME_PREFIX = "eventthread";
        /** Default of {@link #shutdownTimeout}. */
        Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
        /** Default of {@link #timerShutdownPolicy}. */
        TimerShutdownPolicy DEFAULT_TIMER_SHUTDOWN_POLICY = TimerShutdownPolicy.CANCEL;
        /** Default of {@link #queueCapacity}: unbounded. */
        int DEFAULT_QUEUE_CAPACITY = Integer.MAX_VALUE;
        /** Default of {@link #blockingQueueCapacity}. */
        int DEFAULT_BLOCKING_QUEUE_CAPACITY = 10_000;
        /** Default of {@link #blockingKeepAlive}. */
        Duration DEFAULT_BLOCKING_KEEP_ALIVE = Duration.ofSeconds(60);
        /** Default of {@link #idleSpin}. */
        Duration DEFAULT_IDLE_SPIN = Duration.ofNanos(10_000);
        /** Default of {@link #slowCallbackThreshold}, as asyncio's debug mode. */
        Duration DEFAULT_SLOW_CALLBACK_THRESHOLD = Duration.ofMillis(100);
        /** Default of {@link #stuckThreshold}, as Vert.x. */
        Duration DEFAULT_STUCK_THRESHOLD = Duration.ofSeconds(2);
        /** Default of {@link #watchdogInterval}. */
        Duration DEFAULT_WATCHDOG_INTERVAL = Duration.ofMillis(500);
        /**
         * Default of {@link #forceGrace}: the time allowed, after a shutdown deadline, for an
         * interrupted loop thread to return before it is reported
         * {@link ShutdownReport.Outcome#FORCED FORCED}.
         */
        Duration DEFAULT_FORCE_GRACE = Duration.ofMillis(200);
        /** Default of {@link #blockingDetectionThreshold}. */
        Duration DEFAULT_BLOCKING_DETECTION_THRESHOLD = Duration.ofMillis(10);
        /** Default of {@link #blockingDetectionQuietPeriod}: none. */
        Duration DEFAULT_BLOCKING_DETECTION_QUIET_PERIOD = Duration.ZERO;

        /**
         * Default of {@link #blockingMaxThreads}: {@code min(32, cores + 4)}, as asyncio's default executor.
         * @return the default for this machine
         */
        static int defaultBlockingMaxThreads() {
            return Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        }

        /**
         * The number of loops, 1 to {@value #MAX_LOOP_COUNT}; default 1.
         * @param loopCount the number of loops
         * @return this builder
         */
        Builder loopCount(int loopCount);

        /**
         * The prefix of the loop thread names ({@code prefix-1}, {@code prefix-2}, …) and the
         * group's name; default {@code eventthread}. While a group with that name is alive (not
         * yet terminated), the next group built with the same prefix is named {@code prefix-2}
         * (loops {@code prefix-2-1}, …), then {@code prefix-3}, so loop names stay unique.
         * @param prefix the prefix
         * @return this builder
         */
        Builder threadNamePrefix(String prefix);

        /**
         * The timeout of {@link EventThread#close()} and {@link EventThread#shutdownGracefully()};
         * default 10 seconds.
         * @param timeout a non-negative duration
         * @return this builder
         */
        Builder shutdownTimeout(Duration timeout);

        /**
         * What a graceful shutdown does with plain timers not yet due; default
         * {@link TimerShutdownPolicy#CANCEL}.
         * @param policy the policy
         * @return this builder
         */
        Builder timerShutdownPolicy(TimerShutdownPolicy policy);

        /**
         * Bounds each loop's task queue: submissions from outside the loop beyond it are rejected
         * with {@link RejectedExecutionException}. The bound is exact, however many producers
         * race; it counts every queued entry, and the loop's own submissions and the completions
         * of work it accepted are never refused. Default unbounded.
         * @param capacity at least 1
         * @return this builder
         */
        Builder queueCapacity(int capacity);

        /**
         * The maximum number of threads of the blocking pool behind
         * {@link EventLoop#runBlocking}; default {@code min(32, cores + 4)}, as asyncio's default
         * executor.
         * @param maxThreads at least 1
         * @return this builder
         */
        Builder blockingMaxThreads(int maxThreads);

        /**
         * How many blocking tasks may wait for a thread of the blocking pool before further ones
         * are rejected; default 10,000.
         * @param capacity at least 0 (0: hand-off, no waiting)
         * @return this builder
         */
        Builder blockingQueueCapacity(int capacity);

        /**
         * How long an idle thread of the blocking pool lives; default 60 seconds.
         * @param keepAlive a positive duration
         * @return this builder
         */
        Builder blockingKeepAlive(Duration keepAlive);

        /**
         * Whether the blocking pool runs each task on a new virtual thread (Java 21 and later)
         * instead of a bounded platform pool; {@link #blockingMaxThreads} then bounds concurrency.
         * Default false.
         * @param virtualThreads whether to use virtual threads
         * @return this builder
         */
        Builder blockingVirtualThreads(boolean virtualThreads);

        /**
         * Receives what plain tasks throw and every {@link Error}; default: logged at ERROR with
         * the loop name. The handler runs on the loop thread and must not block; what it throws
         * is logged and ignored.
         * @param handler the handler
         * @return this builder
         */
        Builder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler);

        /**
         * Creates the loop threads; default: non-daemon threads named {@code prefix-N}. Threads
         * from a custom factory are used as they come.
         * @param factory the factory
         * @return this builder
         */
        Builder threadFactory(ThreadFactory factory);

        /**
         * How long an idle loop polls its queue before it parks its thread; default 10 µs.
         * Polling a little lets bursts of work arrive without paying the operating system's
         * wake-up (about 50 µs) each time; longer values trade CPU for latency. Zero parks at once.
         * @param spin a duration from zero to one second
         * @return this builder
         */
        Builder idleSpin(Duration spin);

        /**
         * A callback running at least this long is counted and logged as slow; default 100 ms,
         * as asyncio's debug mode.
         * @param threshold a positive duration
         * @return this builder
         */
        Builder slowCallbackThreshold(Duration threshold);

        /**
         * A loop inside one callback longer than this is flagged stuck, and its stack logged;
         * default 2 seconds, as Vert.x.
         * @param threshold a positive duration
         * @return this builder
         */
        Builder stuckThreshold(Duration threshold);

        /**
         * How often the process-wide watchdog checks the loops for stuck callbacks and samples
         * their delay; default 500 ms.
         * @param interval a positive duration
         * @return this builder
         */
        Builder watchdogInterval(Duration interval);

        /**
         * Whether to record where each task was submitted and print it with slow-callback
         * warnings, as asyncio's debug mode. It captures a stack per submission: off by default.
         * @param debug whether to enable debug mode
         * @return this builder
         */
        Builder debug(boolean debug);

        /**
         * Adds a listener for slow callbacks, stuck loops, failures and rejections.
         * @param listener the listener
         * @return this builder
         */
        Builder listener(EventLoopListener listener);

        /**
         * The clock the loops read; default {@link LoopClock#SYSTEM}. For tests.
         * @param clock the clock
         * @return this builder
         */
        Builder clock(LoopClock clock);

        /**
         * How long a loop interrupted at the shutdown deadline has to return from its callback
         * before it is reported {@link ShutdownReport.Outcome#FORCED FORCED} and left behind;
         * default {@link #DEFAULT_FORCE_GRACE} (200 ms). A shutdown completes within its
         * timeout plus this grace.
         * @param grace a non-negative duration
         * @return this builder
         */
        Builder forceGrace(Duration grace);

        /**
         * Wraps every task at submission, on the submitting thread, as Spring's
         * {@code TaskDecorator} does: to carry a context (MDC, tracing, security) from the
         * submitter into the loop and on into the blocking pool. Applies to {@code execute},
         * {@code submit}, {@code callSoon}, timers, {@code submitAsync}'s supplier and
         * {@code runBlocking}. The futures of these complete inside the submitter's decorated
         * scope, so their loop-side continuations, plain or {@code *Async}, run in the context of
         * the work that completed their stage. Default none, which costs nothing.
         * @param decorator returns the task to run in place of the given one
         * @return this builder
         */
        Builder taskDecorator(java.util.function.UnaryOperator<Runnable> decorator);

        /**
         * Whether the loops emit the {@code io.eventthread.*} Flight Recorder events (slow callback,
         * stuck loop, recovery, blocking call, shutdown, a per-loop sample every second), for JDK
         * Mission Control and {@code jfr print}. Nothing on the task path; next to nothing without a
         * running recording. Default true.
         * @param enabled whether to emit the events
         * @return this builder
         */
        Builder flightRecorder(boolean enabled);

        /**
         * Whether to report blocking calls (sleeps, socket and file I/O, contended monitors, parks)
         * of at least {@link #blockingDetectionThreshold} made by callbacks on the loop threads,
         * found without an agent by streaming the JDK's Flight Recorder events: each is logged with
         * its top frames, counted in {@link LoopStats#blockingCalls()} and sent to
         * {@link EventLoopListener#blockingCall}, about a second after the call. A callback that
         * computes rather than blocks is the slow-callback warning's to catch. {@link EventThread#start()}
         * then initialises Flight Recorder (most of a second, once per JVM). Default false.
         * @param enabled whether to detect blocking calls
         * @return this builder
         */
        Builder blockingDetection(boolean enabled);

        /**
         * The shortest blocking call {@link #blockingDetection} reports; default 10 ms.
         * @param threshold a positive duration
         * @return this builder
         */
        Builder blockingDetectionThreshold(Duration threshold);

        /**
         * A quiet start for {@link #blockingDetection}: blocking calls made within this time after
         * {@link EventThread#start()} (and, with {@link #blockingDetectionQuietUntil}, before that
         * signal) are held — not logged, counted or sent to listeners — and summarised in one INFO
         * line (how many, the first) when the quiet period ends; a call still blocking at its end
         * is reported. Default zero: none.
         * @param quietPeriod zero or a positive duration
         * @return this builder
         */
        Builder blockingDetectionQuietPeriod(Duration quietPeriod);

        /**
         * Holds blocking-call reports, as {@link #blockingDetectionQuietPeriod} does, until a signal
         * completes (normally or not), such as the application being ready; with a quiet period
         * too, both must be over. Default none.
         * @param until the signal, or {@code null} for none
         * @return this builder
         */
        Builder blockingDetectionQuietUntil(java.util.concurrent.CompletionStage<?> until);

        /**
         * Checks every setting and the rules between them (the stuck threshold at least the
         * slow-callback threshold and the watchdog interval), without building anything.
         * @return what {@link #build()} would refuse, in setting order; empty if nothing
         */
        List<SettingViolation> violations();

        /**
         * Validates the settings and creates the group, not yet started.
         * @return a new group; call {@link EventThread#start()}
         * @throws IllegalArgumentException with the {@linkplain SettingViolation#message() message}
         *         of the first of the {@link #violations()}
         */
        EventThread build();
    }
}

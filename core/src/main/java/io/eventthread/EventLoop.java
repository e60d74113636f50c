package io.eventthread;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One event loop running in one dedicated, named, non-daemon thread: asyncio's event loop for
 * Java. Any thread may hand it work; the loop runs it, one callback at a time, in order.
 *
 * <h2>Threads</h2>
 * Every callback, timer and task runs on the loop thread, so state touched only by loop code needs
 * no locks. Futures returned here are {@link LoopFuture}s: they complete on the loop thread, and
 * their {@code *Async} continuations without an executor run on the loop too. Blocking work belongs
 * in {@link #runBlocking}; a blocking wait on a loop future from its own loop thread fails fast
 * with {@link IllegalStateException} instead of deadlocking.
 *
 * <h2>Ordering</h2>
 * Tasks submitted by one thread run in submission order. Timers run at or after their deadline,
 * never early; timers with equal deadlines run in the order they were scheduled.
 *
 * <h2>Failures</h2>
 * A task that throws does not stop the loop. A {@code Runnable} given to {@link #execute} or
 * {@link #callSoon} reports what it threw to the group's uncaught-exception handler (by default,
 * logged with the loop name); a task with a future completes that future exceptionally instead.
 * An {@link Error} is reported to the handler in both cases, and the loop keeps running after it:
 * the loop holds the futures of other work, and stopping would strand them; a
 * {@link StackOverflowError} unwinds the callback's stack only. An {@link OutOfMemoryError} may
 * leave the application unable to continue; the loop does not try to judge that.
 *
 * <h2>Life cycle</h2>
 * A loop is started and stopped with its {@link EventThread}, and only there: a loop is an
 * {@link Executor} (for {@code CompletableFuture}'s {@code *Async} methods and anything else that
 * takes one), not an {@code ExecutorService} that anyone holding it could shut down. After a
 * shutdown of the group starts, submissions from outside the loop throw
 * {@link RejectedExecutionException}; submissions from the loop's own callbacks are accepted until
 * termination, so in-flight work can finish. Once the group has terminated, every future handed
 * out by this loop is done.
 *
 * <h2>Interop</h2>
 * A library that wants an {@link java.util.concurrent.ExecutorService} or
 * {@link ScheduledExecutorService} (Reactor, Kotlin coroutines, Spring) gets one from
 * {@link #asExecutorService()}: a view of this loop whose shutdown covers only the work submitted
 * through it, so a library that shuts down the executor it was given stops nobody else.
 *
 * <h2>Bad input</h2>
 * Null arguments throw {@link NullPointerException} naming the parameter; negative delays mean
 * "now", as in the JDK.
 */
public interface EventLoop extends Executor {

    /**
     * The loop thread's name.
     * @return the name, unique within the process for the default thread factory
     */
    String name();

    /**
     * The group this loop belongs to.
     * @return the owning group
     */
    EventThread group();

    /**
     * Whether the calling thread is this loop's thread.
     * @return {@code true} on the loop thread
     */
    boolean inEventLoop();

    /**
     * Whether {@code thread} is this loop's thread (Netty's {@code inEventLoop(Thread)}; a separate
     * name keeps {@code loop::inEventLoop} unambiguous).
     * @param thread the thread to test
     * @return {@code true} if it is the loop thread
     */
    boolean isLoopThread(Thread thread);

    /**
     * The loop's monotonic clock, asyncio {@code loop.time()}: the time base of {@link #callAt}.
     * @return the current loop time in nanoseconds
     */
    long time();

    /**
     * Runs a callback on the loop as soon as possible: asyncio {@code call_soon_threadsafe}.
     * @param task the callback
     * @return a handle to cancel it before it runs
     * @throws RejectedExecutionException if the loop is shutting down (from outside the loop),
     *         terminated, or its bounded queue is full
     */
    LoopHandle callSoon(Runnable task);

    /**
     * Runs a callback on the loop after a delay: asyncio {@code call_later}.
     * @param delay the delay; zero or negative means as soon as possible
     * @param task the callback
     * @return a handle to cancel the timer
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    LoopHandle callLater(Duration delay, Runnable task);

    /**
     * Runs a callback on the loop at a loop time: asyncio {@code call_at}.
     * @param loopTimeNanos the due time, in the time base of {@link #time()}
     * @param task the callback
     * @return a handle to cancel the timer
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    LoopHandle callAt(long loopTimeNanos, Runnable task);

    /**
     * Runs a task on the loop, as {@link #callSoon} without a handle: nothing is allocated for it.
     * What it throws goes to the group's uncaught-exception handler.
     * @param command the task
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    @Override
    void execute(Runnable command);

    /**
     * Runs a task on the loop and hands back its result.
     * @param task the task
     * @param <T> the result type
     * @return a future completed on the loop with the task's result or exception
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    <T> LoopFuture<T> submit(Callable<T> task);

    /**
     * Runs a task on the loop.
     * @param task the task
     * @return a future completed on the loop with {@code null} or the task's exception
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    LoopFuture<Void> submit(Runnable task);

    /**
     * A new {@link ScheduledExecutorService} over this loop, for libraries that take one: every
     * task it accepts runs on this loop. Its {@code shutdown}, {@code shutdownNow},
     * {@code awaitTermination}, {@code isShutdown} and {@code isTerminated} cover only the work
     * submitted through this view, never the loop or its group; see {@link EventThread#asExecutorService()}
     * for the contract. Each call returns a new, independent view.
     * @return a new view of this loop
     */
    ScheduledExecutorService asExecutorService();

    /**
     * Starts asynchronous work on the loop: asyncio {@code run_coroutine_threadsafe}. The supplier
     * runs on the loop; the returned future mirrors the stage it returns and completes on the
     * loop. Cancelling the returned future cancels that stage.
     * @param work the supplier of the asynchronous work
     * @param <T> the result type
     * @return a future that mirrors the supplied stage
     * @throws RejectedExecutionException as for {@link #callSoon}
     */
    <T> LoopFuture<T> submitAsync(Supplier<? extends CompletionStage<T>> work);

    /**
     * Runs blocking work on the group's bounded blocking pool, never on the loop thread: asyncio
     * {@code run_in_executor}/{@code to_thread}. The future completes on this loop, so its
     * continuations are loop-confined. If the pool is saturated the future completes with
     * {@link RejectedExecutionException}. Cancelling the future interrupts the work.
     * @param task the blocking task
     * @param <T> the result type
     * @return a future completed on the loop with the task's result or exception
     * @throws RejectedExecutionException if the loop has terminated
     */
    <T> LoopFuture<T> runBlocking(Callable<T> task);

    /**
     * A future completed on the loop after a delay: asyncio {@code sleep}. A graceful shutdown
     * keeps it until the deadline, since work is waiting on it.
     * @param delay the delay
     * @return a future completed with {@code null} after {@code delay}
     */
    LoopFuture<Void> sleep(Duration delay);

    /**
     * A new incomplete future bound to this loop: asyncio {@code create_future}. The caller
     * completes it; if it is still incomplete when the group terminates, it is cancelled.
     * @param <T> the result type
     * @return an incomplete future
     */
    <T> LoopFuture<T> newFuture();

    /**
     * Mirrors a stage, failing with {@link java.util.concurrent.TimeoutException} if it does not
     * complete in time, and then cancelling it: asyncio {@code wait_for}.
     * @param stage the stage to wait for
     * @param timeout the time allowed
     * @param <T> the result type
     * @return a future completed on the loop
     */
    <T> LoopFuture<T> timeout(CompletionStage<T> stage, Duration timeout);

    /**
     * Registers a callback that runs on this loop when a graceful shutdown of its group begins,
     * before the {@link TimerShutdownPolicy} is applied: the place to close queues, settle open
     * state, or start final work (which the drain then waits for, until the deadline). Registered
     * once the shutdown has begun, it runs as soon as possible on the loop; once the loop has
     * terminated, never, and its handle is then cancelled. It runs as a callback: the shutdown
     * deadline's interrupt and force reach it. What it throws goes to the uncaught-exception handler.
     * @param callback the callback
     * @return a handle whose {@code cancel()} deregisters it
     */
    LoopHandle onShutdown(Runnable callback);

    /**
     * The loop's life-cycle state.
     * @return the state
     */
    LoopState state();

    /**
     * A snapshot of the loop's figures; cheap enough to call from a metrics poll.
     * @return the snapshot
     */
    LoopStats stats();

    /**
     * The loop thread's current stack, to show what a stuck loop is doing; empty once the loop
     * has terminated. It pauses the loop thread briefly: for diagnostics, not for metrics.
     * @return the stack, innermost frame first
     */
    StackTraceElement[] threadStack();

    /**
     * Labels a task so that slow-callback warnings and listener events describe it by
     * {@code label} rather than by its {@code toString}.
     * @param label the description
     * @param task the task
     * @return a task that runs {@code task} and prints as {@code label}
     */
    static Runnable labeled(String label, Runnable task) {
        return new Labeled.LabeledRunnable(label, task);
    }

    /**
     * Labels a task; see {@link #labeled(String, Runnable)}.
     * @param label the description
     * @param task the task
     * @param <T> the result type
     * @return a task that calls {@code task} and prints as {@code label}
     */
    static <T> Callable<T> labeled(String label, Callable<T> task) {
        return new Labeled.LabeledCallable<>(label, task);
    }
}

package io.eventthread;

import io.eventthread.internal.LoopGroup;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The life-cycle and {@link ScheduledExecutorService} face of {@link EventThread}: each task goes
 * to the next loop, round robin; the life-cycle methods act on the whole group. A separate (package-private)
 * class only so that {@code EventThread} itself reads in one sitting, as the JDK's
 * {@code AbstractStringBuilder} does for {@code StringBuilder}.
 */
abstract class GroupExecutor extends AbstractExecutorService implements ScheduledExecutorService, AutoCloseable {

    GroupExecutor() {
    }

    abstract LoopGroup engine();

    /** @return the next loop of this group, round robin */
    public abstract EventLoop next();

    /** @return the timeout {@code close()} and {@code shutdownGracefully()} use */
    public abstract Duration shutdownTimeout();

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
    public CompletableFuture<ShutdownReport> shutdownGracefully(Duration timeout) {
        Settings.requireNonNegative("timeout", timeout);
        return engine().shutdown(timeout).copy();
    }

    /**
     * A future completed with the report when the group has terminated; it never completes
     * exceptionally.
     * @return a copy of the termination future
     */
    public CompletableFuture<ShutdownReport> terminationFuture() {
        return engine().termination().copy();
    }

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
    public void onTermination(Consumer<? super ShutdownReport> callback) {
        Objects.requireNonNull(callback, "callback");
        engine().onTermination(callback);
    }

    /**
     * Shuts down gracefully with the configured timeout, waits for termination (plus the force
     * grace), then for the loop threads to end — except a thread left behind stuck, as the
     * report's {@link ShutdownReport.Outcome#FORCED FORCED} outcome says. Not allowed on a loop
     * thread, where waiting would deadlock: use {@link #shutdownGracefully()} there.
     * @throws BlockingOperationException on a loop thread of this group
     */
    @Override
    public void close() {
        engine().close();
    }


    /** Starts a graceful shutdown with the configured timeout, without waiting. */
    @Override
    public void shutdown() {
        engine().shutdown(shutdownTimeout());
    }

    /**
     * Shuts down with a zero timeout: pending work is cancelled, loop threads inside a callback
     * are interrupted. Off the loops, waits (at most twice the force grace) for the loops to stop.
     * @return the plain {@code Runnable}s accepted and never started
     */
    @Override
    public List<Runnable> shutdownNow() {
        return engine().shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return engine().isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine().isTerminated();
    }

    /**
     * Waits for termination.
     * @throws BlockingOperationException on a loop thread of this group, where waiting would deadlock
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine().awaitTermination(timeout, unit);
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
        return engine().newTaskFor(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return engine().newTaskFor(runnable, value);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        engine().requireNotOnLoop("EventThread.invokeAll()", INVOKE_INSTEAD);
        return super.invokeAll(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        engine().requireNotOnLoop("EventThread.invokeAny()", INVOKE_INSTEAD);
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        engine().requireNotOnLoop("EventThread.invokeAny()", INVOKE_INSTEAD);
        return super.invokeAny(tasks, timeout, unit);
    }

    private static final String INVOKE_INSTEAD = "Submit the tasks and combine their futures with CompletableFuture instead";

}

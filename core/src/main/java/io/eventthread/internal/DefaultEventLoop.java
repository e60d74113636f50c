package io.eventthread.internal;

import io.eventthread.BlockingOperationException;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one implementation of {@link EventLoop}: the asyncio-style API and the
 * {@code ScheduledExecutorService} adapter over a {@link LoopCore}. It turns calls into queue
 * entries and timers; the core runs them. The {@code shutdown*} methods act on the whole group.
 */
final class DefaultEventLoop extends AbstractExecutorService implements EventLoop {

    private final EventThread group;
    private final LoopGroup engine;
    private final BlockingPool blockingPool;
    private final UnaryOperator<Runnable> decorator;
    final LoopCore core;

    DefaultEventLoop(EventThread group, LoopGroup engine, LoopSettings settings, BlockingPool blockingPool, int index) {
        this.group = group;
        this.engine = engine;
        this.blockingPool = blockingPool;
        this.decorator = settings.taskDecorator();
        this.core = new LoopCore(this, settings, index, engine::terminate);
    }

    // ---------------------------------------------------------------- submission

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command"); // the JDK's parameter names, here and below
        // a plain Runnable is queued as it is: no wrapper, no allocation
        core.offer(decorator == null ? command : new DecoratedRunnable(command, decorator.apply(command)), false);
    }

    /** The task as the group's decorator wants it run; the task itself without one. */
    private <T> Callable<T> decorate(Callable<T> task) {
        return decorator == null ? task : new DecoratedCallable<>(task, decorator);
    }

    @Override
    public LoopHandle callSoon(Runnable task) {
        TaskFuture<Void> handle = newTask(Failures.<Void>callable(task, null)).reportingToHandler();
        core.offer(handle, false);
        return handle;
    }

    @Override
    public LoopHandle callLater(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        return schedulePlain(task, core.deadlineAfter(Durations.saturatedNanos(delay)), true);
    }

    @Override
    public LoopHandle callAt(long loopTimeNanos, Runnable task) {
        return schedulePlain(task, core.deadlineAt(loopTimeNanos), true);
    }

    @Override
    public <T> LoopFuture<T> submit(Callable<T> task) {
        LoopTask<T> f = newTask(task);
        core.offer(f, false);
        return f;
    }

    @Override
    public LoopFuture<?> submit(Runnable task) {
        return submit(Failures.callable(task, null));
    }

    @Override
    public <T> LoopFuture<T> submit(Runnable task, T result) {
        return submit(Failures.callable(task, result));
    }

    @Override
    public <T> LoopFuture<T> submitAsync(Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
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
                        throw new CompletionException(e);
                    }
                }

                @Override
                public String toString() {
                    return original.toString();
                }
            };
        }
        AsyncTask<T> f = new AsyncTask<>(core, work, decorator);
        core.startAsync(f);
        return f;
    }

    @Override
    public <T> LoopFuture<T> runBlocking(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return core.startBlocking(task, () -> new BlockingTask<>(core, decorate(task), decorator), blockingPool);
    }

    @Override
    public LoopFuture<Void> sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return schedule(EventLoop.<Void>labeled("sleep(" + delay + ")", () -> null),
                core.deadlineAfter(Durations.saturatedNanos(delay)), 0, ScheduledTask.Kind.WORK, false);
    }

    @Override
    public <T> LoopFuture<T> newFuture() {
        return core.newPromise();
    }

    @Override
    public <T> LoopFuture<T> timeout(CompletionStage<T> stage, Duration timeout) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(timeout, "timeout");
        LoopFuture<T> result = newFuture();
        long nanos = Durations.saturatedNanos(timeout);
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
        }), core.deadlineAfter(nanos), 0, ScheduledTask.Kind.WORK, false);
        timer.holdsShutdown();
        stage.whenComplete((value, failure) -> {
            InternalTask finish = () -> {
                timer.cancel();
                if (expired[0]) {
                    result.completeExceptionally(timedOut);
                } else if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(Failures.unwrap(failure));
                }
            };
            if (inEventLoop()) {
                finish.run();
            } else {
                core.executeInternal(finish);
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
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        return schedulePlain(command, core.deadlineAfter(unit.toNanos(delay)), false);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        Objects.requireNonNull(unit, "unit");
        return schedule(callable, core.deadlineAfter(unit.toNanos(delay)), 0, ScheduledTask.Kind.PLAIN, false);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        return schedule(Failures.callable(command, null), core.deadlineAfter(unit.toNanos(initialDelay)),
                Durations.clamp(unit.toNanos(period)), ScheduledTask.Kind.PERIODIC, false);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        return schedule(Failures.callable(command, null), core.deadlineAfter(unit.toNanos(initialDelay)),
                -Durations.clamp(unit.toNanos(delay)), ScheduledTask.Kind.PERIODIC, false);
    }

    /** A one-shot plain timer: without a decorator the task itself is held, with no wrapper to allocate. */
    private ScheduledTask<?> schedulePlain(Runnable task, long deadline, boolean handle) {
        Objects.requireNonNull(task, "task");
        if (decorator != null) {
            return schedule(Failures.callable(task, null), deadline, 0, ScheduledTask.Kind.PLAIN, handle);
        }
        return schedule(new ScheduledTask<Void>(core, task, deadline), handle);
    }

    private <T> ScheduledTask<T> schedule(Callable<T> callable, long deadline, long period, ScheduledTask.Kind kind,
            boolean handle) {
        return schedule(new ScheduledTask<>(core, decorate(callable), deadline, period, kind), handle);
    }

    private <T> ScheduledTask<T> schedule(ScheduledTask<T> timer, boolean handle) {
        if (handle) {
            timer.reportingToHandler();
        }
        core.schedule(timer);
        return timer;
    }

    // ---------------------------------------------------------------- tasks

    <T> LoopTask<T> newTask(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        return new LoopTask<>(core, decorate(callable), core.time());
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return newTask(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return newTask(Failures.callable(runnable, value));
    }

    // ---------------------------------------------------------------- EventLoop queries

    @Override
    public String name() {
        return core.name();
    }

    @Override
    public EventThread group() {
        return group;
    }

    @Override
    public boolean inEventLoop() {
        return core.inEventLoop();
    }

    @Override
    public boolean isLoopThread(Thread thread) {
        return thread == core.thread();
    }

    @Override
    public long time() {
        return core.time();
    }

    @Override
    public LoopHandle onShutdown(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return core.onShutdown(callback);
    }

    @Override
    public LoopState state() {
        return core.state();
    }

    @Override
    public LoopStats stats() {
        return core.stats();
    }

    @Override
    public StackTraceElement[] threadStack() {
        return core.threadStack();
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

    private void requireNotOnLoop(String method) {
        if (inEventLoop()) {
            throw new BlockingOperationException("EventLoop." + method, name(),
                    "Submit the tasks and combine their futures with CompletableFuture instead");
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + ", " + state() + "]";
    }
}

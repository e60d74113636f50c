package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one implementation of {@link EventLoop}: the asyncio-style API over a {@link LoopCore}. It
 * turns calls into queue entries and timers; the core runs them. {@link ExecutorView} is its
 * {@code ScheduledExecutorService} face.
 */
final class DefaultEventLoop implements EventLoop {

    private final LoopGroup group;
    private final BlockingPool blockingPool;
    private final UnaryOperator<Runnable> decorator;
    final LoopCore core;

    DefaultEventLoop(LoopGroup group, LoopSettings settings, BlockingPool blockingPool, int index) {
        this.group = group;
        this.blockingPool = blockingPool;
        this.decorator = settings.taskDecorator();
        this.core = new LoopCore(this, settings, index, group::terminate);
    }

    // ---------------------------------------------------------------- submission

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command"); // the JDK's parameter names, here and below
        // a plain Runnable is queued as it is: no wrapper, no allocation
        core.offer(decorator == null ? command : new DecoratedRunnable(command, decorator.apply(command)), false);
    }

    /** Whether the group has a task decorator (without one, a task may be held as it is). */
    boolean decorated() {
        return decorator != null;
    }

    /** The task as the group's decorator wants it run; the task itself without one. */
    <T> Callable<T> decorate(Callable<T> task) {
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
    public LoopFuture<Void> submit(Runnable task) {
        return submit(Failures.<Void>callable(task, null));
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
            LoopCompletion.send(core, () -> {
                timer.cancel();
                if (expired[0]) {
                    result.completeExceptionally(timedOut);
                } else if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(Failures.unwrap(failure));
                }
            });
        });
        result.whenComplete((v, f) -> {
            if (result.isCancelled()) {
                timer.cancel();
                stage.toCompletableFuture().cancel(true);
            }
        });
        return result;
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

    @Override
    public ScheduledExecutorService asExecutorService() {
        return new ExecutorView(group, List.of(this));
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + ", " + state() + "]";
    }
}

package io.eventthread.internal;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} over one or more loops of a group, whose life cycle covers
 * only the tasks submitted through it: what {@code EventThread.asExecutorService()} and
 * {@code EventLoop.asExecutorService()} hand to libraries that shut down the executor they are given.
 *
 * <p>Its tasks are the engine's own (a task that is its future, a timer), owned by a {@link ViewLane}:
 * the loop's {@link TaskOwner} with one difference, that a task leaving by any path (run,
 * cancelled, failed, cancelled at the group's termination) is reported back here. So the view
 * counts what it accepted without a wrapper per task, and the loop treats its tasks as any other
 * (timer policy, drain, termination). A {@code schedule(Runnable)} timer holds the runnable
 * itself, as the loop's {@code callLater} does.
 *
 * <p>{@link #shutdownNow()} must hand back the view's never-started tasks at once, even while the
 * loop runs a long task (a library's task may wait for the very caller of shutdownNow), so each
 * lane keeps its tasks where any thread can reach them: a list linked through the tasks, under the
 * lane's lock, so a submission allocates nothing and a pending timer weighs what a
 * {@code callLater} timer weighs. Only the submitter takes the lock; completion does not.
 */
final class ExecutorView extends AbstractExecutorService implements ScheduledExecutorService {

    private static final long SHUTDOWN = 1L << 62;
    private static final long COUNT = SHUTDOWN - 1;

    private final LoopGroup group;
    private final ViewLane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    /** The {@link #SHUTDOWN} bit and the count of accepted tasks not yet done, changed together. */
    private final AtomicLong state = new AtomicLong();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean stopped;

    ExecutorView(LoopGroup group, List<DefaultEventLoop> loops) {
        this.group = group;
        this.lanes = new ViewLane[loops.size()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new ViewLane(this, loops.get(i));
        }
    }

    // ---------------------------------------------------------------- submission

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (command instanceof LoopTask<?> task && task.owner() instanceof ViewLane lane && lane.view() == this) {
            accept(lane, task, task); // from newTaskFor: invokeAll, invokeAny
            return;
        }
        ViewLane lane = lane();
        LoopTask<Void> task = lane.newTask(Failures.callable(command, null));
        task.reportingToHandler(); // as loop.execute: what it throws goes to the handler
        accept(lane, task, command);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        ViewLane lane = lane();
        LoopTask<T> f = lane.newTask(task);
        accept(lane, f, f);
        return f;
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(Failures.callable(task, null));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return submit(Failures.callable(task, result));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        ViewLane lane = lane();
        if (lane.loop.decorated()) {
            return accept(lane, Failures.callable(command, null), unit.toNanos(delay), 0, ScheduledTask.Kind.PLAIN);
        }
        // as callLater: the timer holds the runnable, with no Callable around it
        return accept(lane, new ScheduledTask<Void>(lane, command, lane.core.deadlineAfter(unit.toNanos(delay)), true));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        Objects.requireNonNull(unit, "unit");
        return accept(lane(), callable, unit.toNanos(delay), 0, ScheduledTask.Kind.PLAIN);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        return accept(lane(), Failures.callable(command, null), unit.toNanos(initialDelay),
                Durations.clamp(unit.toNanos(period)), ScheduledTask.Kind.PERIODIC);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (delay <= 0) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
        }
        return accept(lane(), Failures.callable(command, null), unit.toNanos(initialDelay),
                -Durations.clamp(unit.toNanos(delay)), ScheduledTask.Kind.PERIODIC);
    }

    /** A task of a loop, not yet queued, that {@link #execute} recognises and queues as it is. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return lane().newTask(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return newTaskFor(Failures.callable(runnable, value));
    }

    private ViewLane lane() {
        return lanes.length == 1 ? lanes[0] : lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
    }

    private <T> ScheduledTask<T> accept(ViewLane lane, Callable<T> callable, long delayNanos, long period,
            ScheduledTask.Kind kind) {
        return accept(lane, new ScheduledTask<>(lane, lane.loop.decorate(callable),
                lane.core.deadlineAfter(delayNanos), period, kind, true));
    }

    private <T> ScheduledTask<T> accept(ViewLane lane, ScheduledTask<T> timer) {
        admit(lane, timer, timer);
        try {
            lane.core.schedule(timer);
        } catch (RejectedExecutionException e) {
            refused(timer);
            throw e;
        }
        if (stopped || (timer.kind() == ScheduledTask.Kind.PERIODIC && isShutdown())) {
            timer.cancel(false); // raced with a shutdown that did not see it yet
        }
        return timer;
    }

    private void accept(ViewLane lane, LoopTask<?> task, Runnable neverStarted) {
        if (task.isDone()) {
            return; // a task of newTaskFor cancelled before it was executed: nothing to run or count
        }
        admit(lane, task, neverStarted);
        try {
            lane.core.offer(task, false);
        } catch (RejectedExecutionException e) {
            refused(task);
            throw e;
        }
        if (stopped) {
            task.cancel(); // raced with shutdownNow(): not started, so not run
        }
    }

    private void admit(ViewLane lane, TaskFuture<?> task, Runnable neverStarted) {
        long s;
        do {
            s = state.get();
            if ((s & SHUTDOWN) != 0) {
                throw new RejectedExecutionException("Task " + Failures.describe(neverStarted)
                        + " rejected: this executor view was shut down (the event loops keep running)");
            }
        } while (!state.compareAndSet(s, s + 1));
        if (!lane.registry().track(task, neverStarted, (s & COUNT) + 1)) {
            done();
            throw new RejectedExecutionException("Task " + Failures.describe(neverStarted)
                    + " rejected: it was already submitted to this executor view");
        }
    }

    /**
     * The loop refused a task the view had admitted: it never ran and never will, so it ends
     * cancelled (for invokeAll, which holds it), and its completion leaves the view's count.
     */
    private static void refused(TaskFuture<?> task) {
        task.cancel(false);
    }

    /** A task of this view left it (run, cancelled, failed, refused). */
    void done() {
        if (state.decrementAndGet() == SHUTDOWN) {
            terminated.complete(null);
        }
    }

    // ---------------------------------------------------------------- life cycle (of this view only)

    @Override
    public void shutdown() {
        if (!markShutdown()) {
            return;
        }
        // as ScheduledThreadPoolExecutor's defaults: periodic tasks end, delayed one-shots still run
        for (ViewLane lane : lanes) {
            for (Object task : lane.registry().pending(false)) {
                if (task instanceof ScheduledTask<?> timer && timer.kind() == ScheduledTask.Kind.PERIODIC) {
                    timer.cancel(false);
                }
            }
        }
    }

    /** Whether this call shut the view down (it terminates at once if nothing is pending). */
    private boolean markShutdown() {
        long before = state.getAndUpdate(s -> s | SHUTDOWN);
        if ((before & SHUTDOWN) != 0) {
            return false;
        }
        if ((before & COUNT) == 0) {
            terminated.complete(null);
        }
        return true;
    }

    /** As ScheduledThreadPoolExecutor's: the periodic tasks are among those returned. */
    @Override
    public List<Runnable> shutdownNow() {
        stopped = true;
        markShutdown();
        List<Runnable> neverStarted = new ArrayList<>();
        for (ViewLane lane : lanes) {
            Object[] pending = lane.registry().pending(true); // task, what to return for it, task, ...
            for (int i = 0; i < pending.length; i += 2) {
                // cancel() claims only a task not yet started; a running one finishes, uninterrupted
                if (((TaskFuture<?>) pending[i]).cancel()) {
                    neverStarted.add((Runnable) pending[i + 1]);
                }
            }
        }
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        return (state.get() & SHUTDOWN) != 0 || group.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone() || group.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (isTerminated()) {
            return true;
        }
        group.requireNotOnLoop("awaitTermination() of an executor view", "Use the futures of the tasks instead");
        try {
            CompletableFuture.anyOf(terminated, group.termination()).get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- invoke*: never on a loop thread

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        requireNotOnLoop("invokeAll()");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        requireNotOnLoop("invokeAll()");
        return super.invokeAll(tasks, timeout, unit);
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
        group.requireNotOnLoop(method + " of an executor view",
                "Submit the tasks and combine their futures with CompletableFuture instead");
    }

    /** Tasks in the lanes' registries, done or not (for tests of the registry's bound). */
    int tracked() {
        int tracked = 0;
        for (ViewLane lane : lanes) {
            tracked += lane.registry().tracked();
        }
        return tracked;
    }

    @Override
    public String toString() {
        String over = lanes.length == 1 ? lanes[0].name() : group.name();
        return "ExecutorView[" + over + ", " + (isTerminated() ? "terminated" : isShutdown() ? "shut down" : "running")
                + ", " + (state.get() & COUNT) + " pending]";
    }
}

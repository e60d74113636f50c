package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One loop as an {@link ExecutorView}'s tasks see it: the loop's own {@link TaskOwner} in every
 * respect but one — a task's completion is reported to the view. It keeps the view's pending
 * tasks on this loop, for the view's {@code shutdown} and {@code shutdownNow}.
 */
final class ViewLane implements TaskOwner {

    private final ExecutorView view;

    final DefaultEventLoop loop;
    final LoopCore core;
    /** The view's accepted tasks on this loop not yet done; guarded by itself. */
    private final IdentitySet pending = new IdentitySet();
    /**
     * What {@link ExecutorView#shutdownNow()} returns for a pending task that is not itself the
     * user's (the command of an {@code execute}); guarded by {@link #pending}.
     */
    private final IdentityHashMap<TaskFuture<?>, Runnable> commands = new IdentityHashMap<>();

    ViewLane(ExecutorView view, DefaultEventLoop loop) {
        this.view = view;
        this.loop = loop;
        this.core = loop.core;
    }

    ExecutorView view() {
        return view;
    }

    <T> LoopTask<T> newTask(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        return new LoopTask<>(this, loop.decorate(callable), core.time(), true);
    }

    /** Whether {@code task} was not tracked yet (a task of newTaskFor executed twice is). */
    boolean track(TaskFuture<?> task, Runnable neverStarted) {
        synchronized (pending) {
            if (!pending.add(task)) {
                return false;
            }
            if (neverStarted != task) {
                commands.put(task, neverStarted);
            }
            return true;
        }
    }

    /** Whether {@code task} was tracked (it leaves the view's count then). */
    boolean forget(TaskFuture<?> task) {
        synchronized (pending) {
            if (!pending.remove(task)) {
                return false;
            }
            if (!commands.isEmpty()) {
                commands.remove(task);
            }
            return true;
        }
    }

    /**
     * A copy of the pending tasks (with, if {@code withNeverStarted}, what to return for each,
     * task and value alternating), to cancel outside the lock: a cancel completes the task,
     * which untracks it here.
     */
    Object[] pending(boolean withNeverStarted) {
        synchronized (pending) {
            Object[] tasks = pending.toArray();
            if (!withNeverStarted) {
                return tasks;
            }
            Object[] copy = new Object[2 * tasks.length];
            for (int i = 0; i < tasks.length; i++) {
                copy[2 * i] = tasks[i];
                copy[2 * i + 1] = commands.getOrDefault(tasks[i], (Runnable) tasks[i]);
            }
            return copy;
        }
    }

    /** A task of this view completed, by whatever path. */
    @Override
    public void untrack(OwnedFuture<?> future) {
        if (future instanceof TaskFuture<?> task && forget(task)) {
            view.done();
        }
    }

    @Override
    public EventLoop loop() {
        return core.loop();
    }

    @Override
    public String name() {
        return core.name();
    }

    @Override
    public boolean inEventLoop() {
        return core.inEventLoop();
    }

    @Override
    public Executor continuationExecutor() {
        return core.continuationExecutor();
    }

    @Override
    public void spinUntilDone(CompletableFuture<?> future) {
        core.spinUntilDone(future);
    }

    @Override
    public long time() {
        return core.time();
    }

    @Override
    public Timers timers() {
        return core.timers();
    }

    @Override
    public Throwable debugOrigin() {
        return core.debugOrigin();
    }

    @Override
    public void taskStarted(TaskFuture<?> task, long dueAt) {
        core.taskStarted(task, dueAt);
    }

    @Override
    public void taskFailed(TaskFuture<?> task, Throwable failure, boolean inCallback) {
        core.taskFailed(task, failure, inCallback);
    }

    @Override
    public void executeInternal(InternalTask task) {
        core.executeInternal(task);
    }

    @Override
    public boolean offerOwned(Runnable entry) {
        return core.offerOwned(entry);
    }
}

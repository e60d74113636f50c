package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One loop as an {@link ExecutorView}'s tasks see it: the loop's own {@link TaskOwner} in every
 * respect but one — a task's completion is reported to the view. Its {@link ViewRegistry} keeps
 * the view's tasks on this loop, for the view's {@code shutdown} and {@code shutdownNow}.
 *
 * <p>The loop reads this object for every message and callback of the view's tasks, while the
 * submitting threads write the registry: so the registry is another object, and the fields here
 * are padded away from whatever the heap puts next to them (unpadded, false sharing held the
 * view's timers to about 70% of their throughput).
 */
final class ViewLane extends ViewLaneFields implements TaskOwner {

    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    ViewLane(ExecutorView view, DefaultEventLoop loop) {
        super(view, loop);
    }

    ExecutorView view() {
        return view;
    }

    ViewRegistry registry() {
        return registry;
    }

    <T> LoopTask<T> newTask(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        return new LoopTask<>(this, loop.decorate(callable), core.time(), true);
    }

    /**
     * A task of this view completed, by whatever path. Tracked tasks only: one made by newTaskFor
     * that was never executed (invokeAny cancels those) was never counted.
     */
    @Override
    public void untrack(OwnedFuture<?> future) {
        if (future instanceof TaskFuture<?> task && ViewRegistry.wasTracked(task)) {
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
    public void traceOrigin(TaskFuture<?> task) {
        core.traceOrigin(task);
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

/** The padding before {@link ViewLane}'s fields. */
abstract class ViewLanePad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** {@link ViewLane}'s fields, between its paddings: read by the loop, written once. */
abstract class ViewLaneFields extends ViewLanePad {
    final ExecutorView view;
    final DefaultEventLoop loop;
    final LoopCore core;
    final ViewRegistry registry;

    ViewLaneFields(ExecutorView view, DefaultEventLoop loop) {
        this.view = view;
        this.loop = loop;
        this.core = loop.core;
        this.registry = new ViewRegistry();
    }
}

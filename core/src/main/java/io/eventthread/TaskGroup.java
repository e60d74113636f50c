package io.eventthread;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Structured concurrency on one {@link EventLoop}: a set of child tasks that finish together,
 * asyncio's {@code TaskGroup}.
 *
 * <pre>{@code
 * try (TaskGroup tg = TaskGroup.open(loop)) {          // from a plain thread
 *     LoopFuture<Page> a = tg.submitAsync(() -> fetch(urlA));
 *     LoopFuture<Page> b = tg.runBlocking(() -> readFromDisk(pathB));
 * }                                                     // close(): waits for both; throws the first failure
 *
 * // loop code cannot block: it chains on closeAsync()
 * TaskGroup tg = TaskGroup.open(loop);
 * tg.submitAsync(() -> fetch(urlA));
 * tg.submitAsync(() -> fetch(urlB));
 * return tg.closeAsync().thenApply(done -> ...);
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Children are loop tasks ({@link #submit(Callable)}), asynchronous work
 *       ({@link #submitAsync}), blocking calls ({@link #runBlocking}), timers ({@link #schedule})
 *       and nested groups ({@link #openGroup()}); each returns its own {@link LoopFuture}.</li>
 *   <li>The group's future ({@link #closeAsync()}) completes once the group is closed and every
 *       child is done. Children may start further children until then.</li>
 *   <li>The first child to fail makes the group fail with that failure: every child still running
 *       is cancelled (a blocking child's thread is interrupted, a nested group cancels its own
 *       children), and failures that arrive later are attached to the first as
 *       {@linkplain Throwable#getSuppressed() suppressed}. A child cancelled on its own does not
 *       fail the group.</li>
 *   <li>{@link #cancel()} cancels every child; the group's future then completes with a
 *       {@link CancellationException} once they are done. Cancelling the future returned by
 *       {@link #closeAsync()} cancels the group too, but that future reports the cancellation at
 *       once, as every {@code CompletableFuture} does.</li>
 *   <li>Once the group has failed or been cancelled it completes as soon as its children are done,
 *       closed or not, and children offered from then on are cancelled without running.</li>
 *   <li>A shutdown of the loop's {@link EventThread} cancels every open group when it begins, so
 *       their futures complete within the shutdown.</li>
 *   <li>Any thread may open a group and add children; the group's future completes on the loop.</li>
 * </ul>
 *
 * <h2>Compared with asyncio and the JDK</h2>
 * asyncio's {@code async with TaskGroup()} waits at the end of the block and raises an
 * {@code ExceptionGroup} of every failure; here the first failure is thrown with the rest
 * suppressed, as the JDK's {@code StructuredTaskScope} (a preview API in Java 21 to 25) does with
 * its default joiner. Unlike {@code StructuredTaskScope}, children are not threads but loop work:
 * they may be started from any thread, not only the owner; closing never blocks loop code (use
 * {@link #closeAsync()}); and a child running on the loop thread is not interrupted by a
 * cancellation, since it shares that thread with the group — only blocking children are.
 * Nothing confines a group to a lexical scope: close it (or let try-with-resources do it).
 */
public final class TaskGroup implements AutoCloseable {

    private final EventLoop loop;
    private final OpenGroups openGroups;
    private final GroupChildren children;

    private TaskGroup(EventLoop loop) {
        this.loop = loop;
        this.openGroups = OpenGroups.of(loop);
        this.children = new GroupChildren(this, loop, openGroups);
        // a group cancelled through its future behaves as a cancelled group
        children.done.whenComplete((ok, failed) -> {
            if (children.done.isCancelled()) {
                cancel();
            }
        });
    }

    /** Registers with the loop's open groups once constructed: a shutdown already begun aborts it. */
    private TaskGroup register() {
        CancellationException shuttingDown = openGroups.add(this);
        if (shuttingDown != null) {
            abortForShutdown(new CancellationException(shuttingDown.getMessage()));
        }
        return this;
    }

    void abortForShutdown(CancellationException cause) {
        children.abort(cause);
    }

    /**
     * Opens a group on a loop.
     * @param loop the loop its children run on and its future completes on
     * @return an open group
     * @throws RejectedExecutionException if the loop has terminated
     */
    public static TaskGroup open(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (loop.state() == LoopState.TERMINATED) {
            throw new RejectedExecutionException("event loop '" + loop.name()
                    + "' has terminated: open task groups on a running loop");
        }
        return new TaskGroup(loop).register();
    }

    /**
     * The loop of this group.
     * @return its loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Runs a task on the loop as a child: asyncio {@code tg.create_task}.
     * @param task the task
     * @param <T> the result type
     * @return the child's future
     * @throws IllegalStateException if the group has completed normally
     * @throws RejectedExecutionException as {@link EventLoop#submit(Callable)}
     */
    public <T> LoopFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return children.add(() -> loop.submit(task), null);
    }

    /**
     * Runs a task on the loop as a child.
     * @param task the task
     * @return the child's future, completed with {@code null}
     * @throws IllegalStateException if the group has completed normally
     * @throws RejectedExecutionException as {@link EventLoop#submit(Runnable)}
     */
    public LoopFuture<Void> submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        return children.add(() -> loop.submit(task), null);
    }

    /**
     * Starts asynchronous work on the loop as a child; see {@link EventLoop#submitAsync}.
     * Cancelling the child cancels the stage the supplier returned.
     * @param work the supplier of the asynchronous work
     * @param <T> the result type
     * @return the child's future
     * @throws IllegalStateException if the group has completed normally
     * @throws RejectedExecutionException as {@link EventLoop#submitAsync}
     */
    public <T> LoopFuture<T> submitAsync(Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        return children.add(() -> loop.submitAsync(work), null);
    }

    /**
     * Runs blocking work on the group's blocking pool as a child; see {@link EventLoop#runBlocking}.
     * Cancelling the child (or the group) interrupts the work; the group still counts the child
     * as running until its thread has returned from the task, and keeps what the task threw then
     * (other than an {@link InterruptedException}) as a suppressed failure.
     * @param task the blocking task
     * @param <T> the result type
     * @return the child's future
     * @throws IllegalStateException if the group has completed normally
     * @throws RejectedExecutionException if the loop has terminated
     */
    public <T> LoopFuture<T> runBlocking(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        BlockingChild<T> tracked = new BlockingChild<>(task);
        return children.add(() -> loop.runBlocking(tracked), null, tracked);
    }

    /**
     * Runs a task on the loop after a delay as a child: a timer the group waits for. Cancelling
     * the child before it fires removes the timer.
     * @param delay the delay; zero or negative means as soon as possible
     * @param task the task
     * @param <T> the result type
     * @return the child's future
     * @throws IllegalStateException if the group has completed normally
     * @throws RejectedExecutionException as {@link EventLoop#callLater}
     */
    public <T> LoopFuture<T> schedule(Duration delay, Callable<T> task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        return children.add(() -> {
            LoopFuture<T> result = loop.newFuture();
            LoopHandle timer = loop.callLater(delay, () -> {
                if (result.isDone()) {
                    return;
                }
                try {
                    result.complete(task.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            result.whenComplete((v, t) -> {
                if (result.isCancelled()) {
                    timer.cancel();
                }
            });
            return result;
        }, null);
    }

    /**
     * Opens a nested group on the same loop, as a child of this one: it fails this group if it
     * fails, and is cancelled with it. Close it as any group; this group waits for it.
     * @return the nested group
     * @throws IllegalStateException if this group has completed normally
     */
    public TaskGroup openGroup() {
        TaskGroup[] nested = new TaskGroup[1];
        // cancelled through the group, not its future: this group then waits for its children
        children.add(() -> {
            nested[0] = TaskGroup.open(loop);
            return nested[0].children.done;
        }, () -> nested[0].cancel());
        if (nested[0] == null) { // this group was aborting: the child was refused
            TaskGroup refused = TaskGroup.open(loop);
            refused.cancel();
            return refused;
        }
        return nested[0];
    }

    /**
     * Closes the group to further children from outside (its running children may still start
     * more) and returns its future, which completes on the loop when every child is done: with
     * {@code null}, with the first failure (the others suppressed), or with a
     * {@link CancellationException}. Never blocks; call it again for the same future.
     * @return the group's future
     */
    public LoopFuture<Void> closeAsync() {
        return children.close();
    }

    /**
     * Closes the group and waits for every child, from a thread outside the loop: the end of
     * asyncio's {@code async with TaskGroup()} block. If the waiting thread is interrupted, the
     * group is cancelled, the wait goes on until its children are done, and the interrupt is kept.
     * @throws CompletionException wrapping the first failure of a child
     * @throws CancellationException if the group was cancelled
     * @throws BlockingOperationException on the loop thread, where waiting would deadlock: use
     *         {@link #closeAsync()} there
     */
    @Override
    public void close() {
        LoopFuture<Void> future = closeAsync();
        if (!future.isDone() && loop.inEventLoop()) {
            throw new BlockingOperationException("TaskGroup.close()", Thread.currentThread().getName(),
                    "Chain on closeAsync() instead");
        }
        boolean interrupted = false;
        while (true) {
            try {
                future.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (CancellationException e) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw e;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Cancels the group: every child still running is cancelled, and the group's future
     * completes with a {@link CancellationException} once they are done.
     * @return {@code true} if this call cancelled the group; {@code false} if it had already
     *         failed, been cancelled or completed
     */
    public boolean cancel() {
        return children.abort(new CancellationException("task group cancelled"));
    }

    /**
     * Whether the group has failed or been cancelled (its children are then being cancelled).
     * @return {@code true} once aborted
     */
    public boolean isAborted() {
        return children.isAborted();
    }

    /**
     * Children accepted and not yet done.
     * @return the number of running children
     */
    public int activeCount() {
        return children.active();
    }

    @Override
    public String toString() {
        return children.describe();
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

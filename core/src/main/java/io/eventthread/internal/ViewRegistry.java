package io.eventthread.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * An executor view's tasks on one loop, for the view's {@code shutdown} and {@code shutdownNow}:
 * a list linked through the tasks themselves ({@link TaskFuture#viewNext}, a slot every task
 * has), newest first. Tracking a task is one compare-and-set of the head and allocates nothing,
 * and a pending timer weighs no more than one made by {@code callLater}. A task that completes
 * stays linked until the next purge, so completion touches nothing here; a purge runs on a
 * submitting thread once the list is more than twice the view's pending tasks (plus
 * {@link #SLACK}), which keeps its cost O(1) per task. Purges and snapshots take this object's
 * lock; pushes only ever change the head, which a purge never unlinks. Padded: submitters write
 * it on every task.
 */
final class ViewRegistry extends ViewRegistryFields {

    /** Links tracked beyond twice the view's pending tasks before a submission purges. */
    static final int SLACK = 64;
    /** {@code viewNext} of the last task in the list. */
    private static final Object END = new Object();
    /** {@code viewNext} of a task purged from the list: tracked once, never again. */
    private static final Object LEFT = new Object();

    /** {@code viewNext} of a task being pushed: taken, not yet linked. */
    private static final Object PUSHING = new Object();
    private static final VarHandle HEAD;
    private static final VarHandle VIEW_NEXT;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(ViewRegistryFields.class, "head", TaskFuture.class);
            VIEW_NEXT = MethodHandles.lookup().findVarHandle(TaskFuture.class, "viewNext", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    /** Whether {@code task} was ever tracked by a registry (its completion then leaves a view's count). */
    static boolean wasTracked(TaskFuture<?> task) {
        return task.viewNext != null; // set before the task is published; a purge only swaps one mark for another
    }

    /**
     * Adds a task the view admitted.
     * @param pendingInView the view's pending tasks, this one included
     * @return whether {@code task} was not tracked before (a task of newTaskFor executed twice is)
     */
    boolean track(TaskFuture<?> task, Runnable neverStarted, long pendingInView) {
        // taken atomically: two threads executing the same task of newTaskFor at once must not
        // both push it (the list would become a cycle, and the view would count it twice)
        if (!VIEW_NEXT.compareAndSet(task, null, PUSHING)) {
            return false;
        }
        if (neverStarted != task) {
            synchronized (this) {
                commands.put(task, neverStarted); // before the push: a snapshot that sees the task sees this
            }
        }
        TaskFuture<?> first;
        do {
            first = head;
            task.viewNext = first == null ? END : first;
        } while (!HEAD.compareAndSet(this, first, task));
        // racy: concurrent pushes may lose an increment, which only delays a purge, never skips one for good
        if (++linked > 2 * pendingInView + SLACK) {
            synchronized (this) {
                purge();
            }
        }
        return true;
    }

    /**
     * The pending tasks (with, if {@code withNeverStarted}, what to return for each, task and
     * value alternating), to cancel outside the lock: a cancel completes the task, which reports
     * it to the view.
     */
    synchronized Object[] pending(boolean withNeverStarted) {
        purge();
        List<Object> tasks = new ArrayList<>();
        for (TaskFuture<?> task = head; task != null; task = next(task)) {
            if (!task.isDone()) {
                tasks.add(task);
                if (withNeverStarted) {
                    tasks.add(commands.getOrDefault(task, task));
                }
            }
        }
        return tasks.toArray();
    }

    /** Tasks in the list, done or not. */
    synchronized int tracked() {
        int tracked = 0;
        for (TaskFuture<?> task = head; task != null; task = next(task)) {
            tracked++;
        }
        return tracked;
    }

    /** With the lock: unlinks the tasks that are done, all but the head, which pushes own. */
    private void purge() {
        TaskFuture<?> previous = head;
        if (previous == null) {
            return;
        }
        int kept = 1;
        TaskFuture<?> task = next(previous);
        while (task != null) {
            TaskFuture<?> following = next(task);
            if (task.isDone()) {
                previous.viewNext = task.viewNext;
                task.viewNext = LEFT; // not null: it was tracked, and its completion was counted
                if (!commands.isEmpty()) {
                    commands.remove(task);
                }
            } else {
                previous = task;
                kept++;
            }
            task = following;
        }
        linked = kept;
    }

    private static TaskFuture<?> next(TaskFuture<?> task) {
        Object next = task.viewNext;
        return next == END ? null : (TaskFuture<?>) next;
    }
}

/** The padding before {@link ViewRegistry}'s fields. */
abstract class ViewRegistryPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** {@link ViewRegistry}'s fields, between its paddings; guarded by the registry. */
abstract class ViewRegistryFields extends ViewRegistryPad {
    /** The newest tracked task. */
    volatile TaskFuture<?> head;
    /** About how many tasks are in the list, done or not: a purge counts them exactly. */
    int linked;
    /** What shutdownNow returns for a task that is not itself the user's (the command of an execute). */
    final IdentityHashMap<TaskFuture<?>, Runnable> commands = new IdentityHashMap<>();
}

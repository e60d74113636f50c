package io.eventthread.internal;

import java.util.List;

/**
 * An entry of a loop's task queue that the engine made: a user's task with a future, a timer's
 * insert/remove message, or an engine-internal task. A user's plain {@code Runnable} is queued as
 * it is and is not a {@code QueueEntry}. Each entry knows what termination does to it, so the
 * termination sweep and a forced shutdown dispatch on the entry, never on its class.
 */
sealed interface QueueEntry extends Runnable permits UserEntry, TimerMessage, InternalTask {

    /**
     * At termination, on the loop thread or under the sweep lock: release this entry.
     * @param neverStarted where a user's never-started plain task is reported
     * @return 1 if this counts as cancelled work in the report, else 0
     */
    int terminate(List<Runnable> neverStarted);

    /**
     * From another thread, for a forced termination: complete what can be completed without
     * running code off the loop.
     * @return whether a future was cancelled
     */
    boolean cancelFromOutside();
}

/** A user's task: a task with a future, or a plain task run through the group's decorator. */
sealed interface UserEntry extends QueueEntry permits LoopTask, DecoratedRunnable {
}

/** A timer travelling through the queue to be inserted into, or removed from, the heap. */
sealed interface TimerMessage extends QueueEntry permits ScheduledTask {
}

package io.eventthread;

/**
 * A task the engine queues for itself — the completion of blocking or asynchronous work, a delay
 * probe. It is never reported as a user's task, and a termination sweep runs it (completing the
 * future it carries) rather than dropping it.
 */
@FunctionalInterface
interface LoopInternal extends Runnable {

    /** What the termination sweep does with this task; by default, runs it. */
    default void runAtTermination() {
        run();
    }
}

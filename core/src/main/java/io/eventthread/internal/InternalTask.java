package io.eventthread.internal;

import java.util.List;

/**
 * A task the engine queues for itself — a completion of blocking or asynchronous work, a bridge
 * request, a continuation, a delay probe. It is never reported as a user's never-started task:
 * its termination contract (by default, running it, which completes the future it carries)
 * answers whoever waits on it.
 */
@FunctionalInterface
non-sealed interface InternalTask extends QueueEntry {

    /** What the termination sweep does with this task; by default, runs it. */
    default void runAtTermination() {
        run();
    }

    @Override
    default int terminate(List<Runnable> neverStarted) {
        try {
            runAtTermination();
        } catch (Throwable ignored) {
            // the future it completes carries the failure
        }
        return 0;
    }

    /**
     * Whether running this task may run user code (a continuation, a completion's dependents). One
     * that never does — the delay probe — is the engine's alone: never reported or counted as the
     * user's slow callback, however long the machine held it.
     */
    default boolean runsUserCode() {
        return true;
    }

    /** Whether a queued or fired {@code task} may run user code: anything but an engine-only internal task. */
    static boolean mayRunUserCode(Object task) {
        return !(task instanceof InternalTask internal) || internal.runsUserCode();
    }

    /** Cannot be completed from outside without running code off the loop. */
    @Override
    default boolean cancelFromOutside() {
        return false;
    }
}

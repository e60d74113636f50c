package io.eventthread.internal;

import java.util.concurrent.Callable;

/**
 * A user's task with a future, queued as it is: {@code submit}, {@code callSoon}, and (as
 * {@link AsyncTask}) {@code submitAsync}. Termination cancels it if it never started.
 */
sealed class LoopTask<T> extends TaskFuture<T> implements UserEntry permits AsyncTask {

    LoopTask(TaskOwner owner, Callable<T> callable, long enqueuedAt) {
        super(owner, callable, enqueuedAt, false);
    }

    LoopTask(TaskOwner owner, Callable<T> callable, long enqueuedAt, boolean tracked) {
        super(owner, callable, enqueuedAt, tracked);
    }

    @Override
    public void run() {
        if (!claim(STARTED)) {
            return;
        }
        owner().taskStarted(this, dueAt);
        runClaimed();
    }
}

package io.eventthread.internal;

import io.eventthread.EventLoop;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a loop's failures go: a plain task's failure and every {@link Error} to the
 * uncaught-exception handler (by default, logged with the loop name); a failed future is kept
 * (bounded) so that, at termination, the failures nobody read or chained on are reported as
 * "never retrieved"; every failure to the listeners. Loop thread only.
 */
final class FailureReporter {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final int FAILURES_KEPT = 1024;

    private final LoopContext loop;
    private final Thread.UncaughtExceptionHandler handler;
    private final ListenerDispatch listeners;
    private final LoopCounters counters;
    private final ArrayDeque<OwnedFuture<?>> failedFutures = new ArrayDeque<>();

    FailureReporter(LoopContext loop, Thread.UncaughtExceptionHandler handler, ListenerDispatch listeners,
            LoopCounters counters) {
        this.loop = loop;
        this.handler = handler;
        this.listeners = listeners;
        this.counters = counters;
    }

    /** A plain callback threw. */
    void callbackThrew(Object task, Throwable failure) {
        counters.callbackFailed();
        reportToHandler(failure);
        listeners.notifyFailure(l -> l.taskFailed(loop.loop(), Failures.describe(task), failure));
    }

    /** A task with a future failed: in its callback on the loop, or in its blocking or asynchronous work. */
    void taskFailed(TaskFuture<?> task, Throwable failure, boolean inCallback) {
        if (inCallback) {
            counters.callbackFailed();
        } else {
            counters.workFailed();
        }
        if (task.reportsToHandler() || failure instanceof Error) {
            reportToHandler(failure);
        } else if (loop.inEventLoop()) {
            rememberFailed(task);
        }
        listeners.notifyFailure(l -> l.taskFailed(loop.loop(), task.description(), failure));
    }

    /** A failure of the loop's own code. */
    void reportUncaught(Throwable failure) {
        reportToHandler(failure);
    }

    private void reportToHandler(Throwable failure) {
        if (handler != null) {
            try {
                handler.uncaughtException(Thread.currentThread(), failure);
                return;
            } catch (Throwable handlerFailure) {
                LOG.log(Level.ERROR, "Uncaught-exception handler of event loop '" + loop.name() + "' threw", handlerFailure);
            }
        }
        LOG.log(Level.ERROR, "Event loop '" + loop.name() + "': a task threw; the loop goes on with the next one", failure);
    }

    private void rememberFailed(OwnedFuture<?> future) {
        if (failedFutures.size() == FAILURES_KEPT) {
            failedFutures.removeIf(OwnedFuture::observed);
            if (failedFutures.size() == FAILURES_KEPT) {
                failedFutures.pollFirst(); // the oldest goes unreported: the list stays bounded
            }
        }
        failedFutures.addLast(future);
    }

    /** At termination: failures of futures nobody read or chained on. */
    List<Throwable> unobservedFailures() {
        List<Throwable> unobserved = new ArrayList<>();
        for (OwnedFuture<?> f : failedFutures) {
            if (!f.observed() && f.isCompletedExceptionally() && !f.isCancelled()) {
                f.exceptionally(t -> {
                    unobserved.add(t);
                    return null;
                });
            }
        }
        failedFutures.clear();
        return unobserved;
    }
}

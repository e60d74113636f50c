package io.eventthread.reliability;

import io.eventthread.LoopHandle;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** What the test recorded about one step of a random program while it ran. */
final class Entry {

    final int producer;
    final int index;
    final Op op;

    /** The loop time just before and just after the submitting call. */
    volatile long before;
    volatile long after;
    /** The bounds the engine's deadline must lie in, for a timer. */
    volatile long deadlineLo;
    volatile long deadlineHi;

    volatile boolean accepted;
    /** Rejected with RejectedExecutionException; {@code whileRunning}: before any shutdown began. */
    volatile boolean rejected;
    volatile boolean rejectedWhileRunning;
    /** Anything else the submitting call threw: always a defect. */
    volatile Throwable unexpected;

    volatile Future<?> future;
    volatile LoopHandle handle;
    volatile Runnable plain;

    final AtomicInteger runs = new AtomicInteger();
    /** Position in the loop thread's run log (loop-thread work only), -1 if it never ran there. */
    volatile int logPosition = -1;
    volatile long ranAt;

    /** A Cancel step targeted this entry; what its cancel call returned. */
    volatile boolean cancelAttempted;
    volatile boolean cancelReturned;
    /** Set only after a cancel call returned true: a body that sees it started after the cancel. */
    volatile boolean cancelSucceeded;
    volatile boolean startedAfterCancel;

    Entry(int producer, int index, Op op) {
        this.producer = producer;
        this.index = index;
        this.op = op;
    }

    boolean isTimer() {
        return op instanceof Op.CallLater || op instanceof Op.CallAt;
    }

    /** Work the loop runs in queue order (FIFO per producer). */
    boolean isImmediate() {
        return op instanceof Op.Execute || op instanceof Op.Submit || op instanceof Op.SubmitAsync;
    }

    boolean isCancellable() {
        return future != null || handle != null;
    }

    @Override
    public String toString() {
        return "p" + producer + "#" + index + " " + op;
    }
}

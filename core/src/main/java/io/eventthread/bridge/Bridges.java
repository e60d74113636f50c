package io.eventthread.bridge;

import io.eventthread.BlockingOperationException;
import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import io.eventthread.LoopState;
import java.time.Duration;
import java.util.function.Consumer;

/** Helpers shared by the thread/loop bridges: {@link LoopQueue}, {@link LoopEvent}, {@link ThreadInbox}, {@link LoopService}. */
final class Bridges {

    /** The longest wait, about 146 years: as the engine's, so a bridge and a loop agree on "for ever". */
    private static final long MAX_NANOS = Long.MAX_VALUE >> 1;

    private Bridges() {
    }

    /**
     * Fails fast when a blocking method is called on the loop thread, where the wait could never
     * end: the loop is the thread that would have to answer it.
     */
    static void requireOffLoop(EventLoop loop, String method, String useInstead) {
        if (loop.inEventLoop()) {
            throw new BlockingOperationException(method, loop.name(),
                    "Call " + useInstead + " there and chain on the future it returns");
        }
    }

    /**
     * Runs {@code action} on {@code loop}: at once when called there, else through the loop's one
     * way back ({@link LoopFuture#completeOnLoop}), which unlike {@link EventLoop#execute} still
     * accepts work while a graceful shutdown drains, because it finishes work the loop already
     * handed out (here: a future someone may be waiting on); refusing it would strand the waiter
     * until the deadline. If the loop does not run it — not started, terminated, or terminating
     * with the request still queued (a request served by a loop that is gone would be lost, as an
     * item put into a queue no one will take from) — {@code notRun} gets the reason and must
     * answer the caller.
     */
    static void runOnLoop(EventLoop loop, Runnable action, Consumer<Throwable> notRun) {
        if (loop.inEventLoop()) {
            action.run();
            return;
        }
        LoopFuture<Void> arrived = loop.newFuture();
        arrived.whenComplete((ok, closed) -> {
            if (closed != null) {
                notRun.accept(closed);
            } else if (loop.state() == LoopState.TERMINATED) { // completed by the termination sweep
                notRun.accept(new ClosedException("event loop '" + loop.name() + "' terminated before serving the request"));
            } else {
                action.run();
            }
        });
        arrived.completeOnLoop(null);
    }

    /** A timeout in nanoseconds, saturated rather than overflowing; negative means zero. */
    static long saturatedNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        if (timeout.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        return Math.min(timeout.toNanos(), MAX_NANOS);
    }
}

package io.eventthread.bridge;

import io.eventthread.BlockingOperationException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import io.eventthread.internal.EngineTasks;
import java.util.concurrent.RejectedExecutionException;

/** Helpers shared by the thread/loop bridges: {@link LoopQueue}, {@link LoopEvent}, {@link ThreadInbox}, {@link LoopService}. */
final class Bridges {

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
     * Runs {@code action} on the loop of {@code future}: at once when called there, else through
     * the future's default executor. That executor, unlike {@link EventLoop#execute}, still accepts
     * work while a graceful shutdown drains, because it finishes work the loop already handed out
     * (here: a future someone may be waiting on); refusing it would strand the waiter until the
     * deadline. If the loop terminates with the request still queued, its termination contract
     * runs instead: {@code atTermination}, which must answer the caller.
     *
     * @return {@code false} if the loop refused it (not started, or terminated); the caller decides
     *         how to fail the future then
     */
    static boolean runOnLoop(LoopFuture<?> future, Runnable action, Runnable atTermination) {
        if (future.loop().inEventLoop()) {
            action.run();
            return true;
        }
        try {
            future.defaultExecutor().execute(EngineTasks.request(action, atTermination));
            return true;
        } catch (RejectedExecutionException refused) {
            return false;
        }
    }

    /**
     * Completes a future on its loop. If the loop refuses (it has terminated, so the future is most
     * likely cancelled already), or terminates before the completion runs, completes it wherever
     * that happens rather than leave a waiter hanging.
     */
    static <T> void completeOnLoop(LoopFuture<T> future, T value, Throwable failure) {
        Runnable finish = () -> {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        };
        if (!runOnLoop(future, finish, finish)) {
            finish.run();
        }
    }
}

package io.eventthread.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventLoop;

/**
 * Test helper: keeps a loop inside one callback until closed, so tests can see a stuck loop or a
 * growing queue without sleeping. Close it in a finally block (or try-with-resources).
 */
public final class BlockedLoop implements AutoCloseable {

    private final CountDownLatch started = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    private BlockedLoop(EventLoop loop) throws InterruptedException {
        loop.execute(() -> {
            this.started.countDown();
            try {
                this.release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        if (!this.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Loop " + loop.name() + " did not pick up the blocking task");
        }
    }

    /**
     * Blocks a loop and returns once its thread is inside the blocking callback.
     * @param loop the loop to block
     * @return the handle that releases it
     * @throws InterruptedException if interrupted while waiting for the loop
     */
    public static BlockedLoop block(EventLoop loop) throws InterruptedException {
        return new BlockedLoop(loop);
    }

    @Override
    public void close() {
        this.release.countDown();
    }

}

package io.eventthread.reliability;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for the reliability suites; waits are generous because CI machines are loaded. */
final class Loops {

    /** The longest any single wait in these suites may take before the test fails. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Loops() {
    }

    static EventThread.Builder builder(String name) {
        return EventThread.builder().threadNamePrefix("rel-" + name);
    }

    /** Waits until everything queued on the loop before this call has run. */
    static void sync(EventLoop loop) throws Exception {
        loop.submit(() -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Awaits a latch, failing the test rather than hanging if it never opens. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /** Awaits a latch inside a loop callback, returning quietly if the shutdown interrupts it. */
    static void awaitInterruptibly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls a condition (for figures only observable by polling, such as stats), up to WAIT. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Shuts a group down at the end of a test whatever happened, so no loop thread leaks. */
    static void closeQuietly(EventThread group) {
        if (!group.isTerminated()) {
            try {
                group.shutdownGracefully(Duration.ZERO).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the test has already failed or passed; this only frees threads
            }
        }
    }
}

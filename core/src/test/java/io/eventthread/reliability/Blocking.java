package io.eventthread.reliability;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** User code that blocks, for the shutdown-deadline suites; every wait is bounded. */
final class Blocking {

    /** How long the blocking user code of the issue-15 suites blocks at most: far beyond any deadline they use. */
    static final Duration LONG = Duration.ofSeconds(3);

    private Blocking() {
    }

    /**
     * Blocks until {@code release} opens or {@code max} passes, ignoring interrupts (they are
     * restored on return): user code the deadline's interrupt cannot stop, only FORCED can.
     */
    static void ignoringInterrupts(CountDownLatch release, Duration max) {
        long end = System.nanoTime() + max.toNanos();
        boolean interrupted = false;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                if (release.await(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Milliseconds since {@code startNanos}. */
    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

package io.eventthread.seeds;

import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the seed re-expressions. */
final class SeedSupport {

    /** The longest any test waits for a future, latch or shutdown. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private SeedSupport() {
    }

    /** A started group of {@code loops} loops whose threads are named {@code prefix-1..N}. */
    static EventThread started(String prefix, int loops) {
        return EventThread.builder().loopCount(loops).threadNamePrefix(prefix).build().start();
    }

    /** Waits for a shutdown or termination future, at most {@link #WAIT}. */
    static ShutdownReport report(CompletableFuture<ShutdownReport> shutdown) throws Exception {
        return shutdown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The current thread's name: call it inside a task to record where the task ran. */
    static String threadName() {
        return Thread.currentThread().getName();
    }
}

package io.eventthread.scenarios;

import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the scenario tests. */
final class ScenarioSupport {

    /** The longest any test waits for a future, latch or shutdown. */
    static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * The shutdown timeout of every group here, well inside {@link #WAIT} and the 10 s test
     * timeout: a graceful stop that misses the wake-up of an idle loop (an engine defect at the
     * time of writing; the loop then sleeps until the shutdown deadline) costs 2 s, not the
     * default 10 s.
     */
    static final Duration STOP = Duration.ofSeconds(2);

    private ScenarioSupport() {
    }

    /** A builder for threads named {@code prefix-N} with the {@link #STOP} shutdown timeout. */
    static EventThread.Builder builder(String prefix) {
        return EventThread.builder().threadNamePrefix(prefix).shutdownTimeout(STOP);
    }

    /** A started group of {@code loops} loops whose threads are named {@code prefix-1..N}. */
    static EventThread started(String prefix, int loops) {
        return builder(prefix).loopCount(loops).build().start();
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

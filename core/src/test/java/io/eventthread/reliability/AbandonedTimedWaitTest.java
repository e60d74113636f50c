package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 5: a thread that gave up waiting ({@code get(timeout)} timed out) must leave
 * nothing behind on the future. Today each timed wait adds a wake-up continuation that stays
 * until the future completes: polling grows the future without bound, and an abandoned wait on a
 * {@code sleep} counts as someone still waiting for it, so a graceful shutdown waits for the timer.
 */
@Timeout(60)
class AbandonedTimedWaitTest {

    private static final int POLLS = 20_000;

    /**
     * Observes {@link java.util.concurrent.CompletableFuture#getNumberOfDependents()}, public JDK
     * API (an estimate, exact when nothing runs concurrently). At most one engine registration
     * per future is tolerated (the issue allows "one waiter registration per future"); one per
     * poll is the defect.
     */
    @Test
    void timedOutPollsLeaveNoDependentsBehind() throws Exception {
        EventThread group = Loops.builder("d15-poll").build().start();
        try {
            EventLoop loop = group.next();
            LoopFuture<String> never = loop.newFuture();
            for (int i = 0; i < POLLS; i++) {
                assertThatThrownBy(() -> never.get(0, TimeUnit.NANOSECONDS)).isInstanceOf(TimeoutException.class);
            }
            assertThat(never.getNumberOfDependents()).as("dependents left on a pending future by %d timed-out get(0) polls",
                    POLLS).isLessThanOrEqualTo(1);
            never.complete("done"); // the future still works for a later waiter
            assertThat(never.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * A {@code sleep} nobody waits for does not hold a graceful shutdown (ScheduledTask's contract,
     * README "Shutdown": in-flight work and the timers it waits on are drained); a thread whose
     * {@code get(1ms)} timed out is not waiting any more. The sleep is 3 s, so the defect shows as a
     * ~3 s shutdown; a correct one takes milliseconds (bound: 1.5 s).
     */
    @Test
    void anAbandonedTimedGetDoesNotHoldAGracefulShutdown() throws Exception {
        EventThread group = Loops.builder("d15-abandoned").build().start();
        try {
            EventLoop loop = group.next();
            LoopFuture<Void> sleep = loop.sleep(Blocking.LONG);
            Loops.sync(loop); // the timer is in the heap
            assertThatThrownBy(() -> sleep.get(1, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            long start = System.nanoTime();
            ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            long took = Blocking.millisSince(start);
            assertThat(took).as("graceful shutdown after one abandoned get(1ms) on a 3 s sleep took %d ms: %s", took, report)
                    .isLessThan(1_500);
            assertThat(sleep).as("the sleep is done after termination").isDone();
        } finally {
            Loops.closeQuietly(group);
        }
    }
}

package io.eventthread.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventThreadLifecycle}.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class EventThreadLifecycleTests {

    @Test
    void phaseShouldStopTheLoopsAfterTheWebServer() {
        // Higher phases stop first: the web server, then us, then Spring's task executors.
        assertThat(EventThreadLifecycle.START_STOP_LIFECYCLE_PHASE)
            .isEqualTo(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024)
            .isGreaterThan(Integer.MAX_VALUE / 2);
    }

    @Test
    void gracefulShutdownShouldBeLoggedAtInfo(CapturedOutput output) throws Exception {
        EventThread eventThread = EventThread.builder().threadNamePrefix("calm").build();
        EventThreadLifecycle lifecycle = new EventThreadLifecycle(eventThread);
        lifecycle.start();
        assertThat(lifecycle.isRunning()).isTrue();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        lifecycle.stop(() -> stopped.complete(null));
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(output).contains("INFO").contains("EventThread 'calm' shut down gracefully in");
    }

    @Test
    void timedOutShutdownShouldBeLoggedAtWarnWithDetails(CapturedOutput output) throws Exception {
        EventThread eventThread = EventThread.builder()
            .threadNamePrefix("busy")
            .shutdownTimeout(java.time.Duration.ofMillis(50))
            .build();
        EventThreadLifecycle lifecycle = new EventThreadLifecycle(eventThread);
        lifecycle.start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        eventThread.next().execute(() -> {
            started.countDown();
            // Ignores the deadline's interrupt, as a callback stuck in uninterruptible I/O would:
            // the shutdown is then FORCED and reports this stack.
            awaitIgnoringInterrupts(release);
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            lifecycle.stop(() -> stopped.complete(null));
            stopped.get(10, TimeUnit.SECONDS);
        }
        finally {
            release.countDown();
        }
        assertThat(output).contains("WARN").contains("EventThread 'busy' shutdown ended").contains("FORCED")
            .contains("limit 50 ms")
            .contains("Loop 'busy-1' did not return from its callback")
            .contains("awaitIgnoringInterrupts");
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(10, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                // deliberately ignored, see the caller
            }
        }
    }


    @Test
    void everyGroupShouldStartAndAllShouldBeginTheirShutdownTogether() throws Exception {
        EventThread first = EventThread.builder().threadNamePrefix("first").build();
        EventThread second = EventThread.builder().threadNamePrefix("second").build();
        EventThreadLifecycle lifecycle = new EventThreadLifecycle(
                () -> new java.util.LinkedHashMap<>(java.util.Map.of("first", first, "second", second)));
        lifecycle.start();
        assertThat(first.loops().get(0).state()).isEqualTo(io.eventthread.LoopState.RUNNING);
        assertThat(second.loops().get(0).state()).isEqualTo(io.eventthread.LoopState.RUNNING);
        BlockedLoop blockedFirst = BlockedLoop.block(first.loops().get(0));
        BlockedLoop blockedSecond = BlockedLoop.block(second.loops().get(0));
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        lifecycle.stop(() -> stopped.complete(null));
        // both drains are under way while the first is still held: the groups do not wait in turn
        assertThat(first.isShutdown()).isTrue();
        assertThat(second.isShutdown()).isTrue();
        assertThat(stopped).isNotDone();
        blockedSecond.close();
        second.terminationFuture().get(10, TimeUnit.SECONDS);
        assertThat(stopped).as("waits for every group").isNotDone();
        blockedFirst.close();
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(first.isTerminated()).isTrue();
        assertThat(lifecycle.isRunning()).isFalse();
    }


    @Test
    void groupOfYourOwnWhoseShutdownOutlastsThePhaseShouldBeWarnedAbout(CapturedOutput output) {
        EventThread slow = EventThread.builder().threadNamePrefix("slow").shutdownTimeout(java.time.Duration.ofSeconds(30)).build();
        EventThread quick = EventThread.builder().threadNamePrefix("quick").build();
        EventThreadLifecycle lifecycle = new EventThreadLifecycle(
                () -> new java.util.LinkedHashMap<>(java.util.Map.of("slowLoops", slow, "quickLoops", quick)),
                java.time.Duration.ofSeconds(30));
        lifecycle.start();
        try {
            assertThat(output).containsOnlyOnce("EventThread 'slowLoops' may take 30200 ms to shut down")
                .contains("longer than spring.lifecycle.timeout-per-shutdown-phase (30000 ms)")
                .doesNotContain("'quickLoops' may take");
        }
        finally {
            slow.shutdownNow();
            quick.shutdownNow();
        }
    }

}

package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A shutdown reads time only from the injected clock: its deadline passes when the loop clock
 * says so, whatever the wall clock did, and its report measures loop time.
 */
@Timeout(30)
class ShutdownOnTheLoopClockTest {

    @Test
    void theDeadlinePassesOnTheLoopClockNotTheWallClock() throws Exception {
        AtomicLong now = new AtomicLong(0);
        try (EventThread group = TestLoops.builder("fake-clock").clock(now::get).idleSpin(Duration.ZERO)
                .shutdownTimeout(Duration.ofSeconds(1)).build().start()) {
            EventLoop loop = group.next();
            CompletableFuture<String> never = new CompletableFuture<>();
            CompletableFuture<String> later = new CompletableFuture<>();
            LoopFuture<String> stuckWork = loop.submitAsync(() -> never);
            LoopFuture<String> nudge = loop.submitAsync(() -> later);
            TestLoops.sync(loop);

            long wallStart = System.nanoTime();
            CompletableFuture<ShutdownReport> done = group.shutdownGracefully(Duration.ofHours(1));
            TestLoops.awaitParked(loop);
            assertThat(done).as("an hour of loop time has not passed").isNotDone();

            now.addAndGet(Duration.ofHours(1).plusSeconds(1).toNanos());
            later.complete("nudge"); // a completion wakes the loop, which now sees the deadline behind it
            ShutdownReport report = done.get(10, TimeUnit.SECONDS);

            assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.CANCELLED);
            assertThat(report.duration()).as("loop time").isEqualTo(Duration.ofHours(1).plusSeconds(1));
            assertThat(report.tasksCancelled()).isEqualTo(1);
            assertThat(stuckWork).isCancelled();
            assertThat(nudge.getNow(null)).isEqualTo("nudge");
            assertThat(System.nanoTime() - wallStart).as("wall time").isLessThan(Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void theForceGraceIsASetting() throws Exception {
        try (EventThread group = TestLoops.builder("grace").forceGrace(Duration.ofMillis(50)).build().start()) {
            assertThat(group.forceGrace()).isEqualTo(Duration.ofMillis(50));
            assertThat(TestLoops.builder("default").build().forceGrace()).isEqualTo(EventThread.Builder.DEFAULT_FORCE_GRACE);

            java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            group.next().execute(() -> {
                inside.countDown();
                while (release.getCount() > 0) {
                    Thread.onSpinWait(); // deaf to interrupts: only the force ends the shutdown
                }
            });
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            try {
                ShutdownReport report = group.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
                assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.FORCED);
                assertThat(report.stuckLoops()).containsKey("grace-1");
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aNegativeForceGraceIsRefusedWithItsRange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventThread.builder().forceGrace(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("forceGrace: PT-0.001S (expected: >= 0)");
    }
}

package io.eventthread.autoconfigure.health;

import java.time.Duration;
import java.util.Map;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.autoconfigure.BlockedLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventThreadHealthIndicator} against real loops.
 */
@Timeout(30)
class EventThreadHealthIndicatorTests {

    private final EventThread eventThread = EventThread.builder()
        .loopCount(2)
        .threadNamePrefix("health")
        .stuckThreshold(Duration.ofMillis(100))
        .watchdogInterval(Duration.ofMillis(20))
        .build();

    @AfterEach
    void shutDown() {
        this.eventThread.shutdownNow();
    }

    @Test
    void healthShouldBeUpWithDetailsPerLoopWhileAllLoopsRun() {
        this.eventThread.start();
        Health health = new EventThreadHealthIndicator(this.eventThread, null).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("health-1", "health-2");
        assertThat(loopDetails(health, "health-1")).containsEntry("state", io.eventthread.LoopState.RUNNING)
            .containsEntry("queueDepth", 0)
            .containsEntry("pendingTimers", 0)
            .containsEntry("stuckFor", 0L)
            .containsKeys("loopDelay", "utilization", "slowCallbacks");
    }

    @Test
    void healthShouldBeOutOfServiceBeforeStart() {
        assertThat(new EventThreadHealthIndicator(this.eventThread, null).health().getStatus())
            .isEqualTo(Status.OUT_OF_SERVICE);
    }

    @Test
    void healthShouldBeDownWhileALoopIsStuck() throws Exception {
        this.eventThread.start();
        EventThreadHealthIndicator indicator = new EventThreadHealthIndicator(this.eventThread, null);
        EventLoop loop = this.eventThread.loops().get(0);
        BlockedLoop blocked = BlockedLoop.block(loop);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
            assertThat((Long) loopDetails(indicator.health(), "health-1").get("stuckFor")).isGreaterThanOrEqualTo(100L);
        }
        finally {
            blocked.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().getStatus().equals(Status.UP));
    }

    @Test
    void healthShouldBeDownAboveTheMaximumQueueDepth() throws Exception {
        // Default stuck threshold, so only the queue depth can turn this group DOWN.
        try (EventThread group = EventThread.builder().threadNamePrefix("queue").build().start()) {
            EventThreadHealthIndicator indicator = new EventThreadHealthIndicator(group, 2);
            EventLoop loop = group.loops().get(0);
            BlockedLoop blocked = BlockedLoop.block(loop);
            try {
                // The watchdog may queue one probe of its own on a busy loop.
                loop.execute(() -> { });
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                for (int i = 0; i < 3; i++) {
                    loop.execute(() -> { });
                }
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat((Integer) loopDetails(health, "queue-1").get("queueDepth")).isGreaterThanOrEqualTo(4);
            }
            finally {
                blocked.close();
            }
        }
    }

    @Test
    void healthShouldBeOutOfServiceOnceShutdownStarts() throws Exception {
        this.eventThread.start();
        EventThreadHealthIndicator indicator = new EventThreadHealthIndicator(this.eventThread, null);
        BlockedLoop blocked = BlockedLoop.block(this.eventThread.loops().get(0));
        try {
            this.eventThread.shutdownGracefully(Duration.ofSeconds(10));
            assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        }
        finally {
            blocked.close();
        }
        this.eventThread.awaitTermination(java.time.Duration.ofSeconds(10));
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loopDetails(Health health, String loop) {
        return (Map<String, Object>) health.getDetails().get(loop);
    }

}

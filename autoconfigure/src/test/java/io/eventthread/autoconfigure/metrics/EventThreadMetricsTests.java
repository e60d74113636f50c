package io.eventthread.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.BlockedLoop;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventThreadMetrics} against real loops.
 */
@Timeout(30)
class EventThreadMetricsTests {

    private final EventThread eventThread = EventThread.builder()
        .loopCount(2)
        .threadNamePrefix("metrics")
        .stuckThreshold(Duration.ofMillis(100))
        .watchdogInterval(Duration.ofMillis(20))
        .build()
        .start();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void shutDown() {
        this.eventThread.shutdownNow();
    }

    @Test
    void metersShouldBeTaggedByGroupAndLoop() {
        new EventThreadMetrics(this.eventThread, "loops", Tags.of("app", "test")).bindTo(this.registry);
        assertThat(this.registry.get("eventthread.queue.depth").gauges()).hasSize(2);
        assertThat(this.registry.get("eventthread.queue.depth").tags("name", "loops", "loop", "metrics-1", "app", "test")
            .gauge()
            .value()).isZero();
        assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
            .containsOnly("eventthread.queue.depth", "eventthread.timers.pending", "eventthread.tasks.completed",
                    "eventthread.tasks.failed", "eventthread.tasks.rejected", "eventthread.callbacks.slow",
                    "eventthread.callbacks.blocking",
                    "eventthread.loop.delay", "eventthread.loop.delay.p99", "eventthread.loop.utilization",
                    "eventthread.loop.stuck");
    }

    @Test
    void countersShouldFollowTheLoopStats() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        var loop = this.eventThread.loops().get(0);
        loop.submit(() -> "ok").get(10, TimeUnit.SECONDS);
        loop.submit(() -> {
            throw new IllegalStateException("expected by the test");
        }).handle((value, ex) -> null).get(10, TimeUnit.SECONDS);
        loop.schedule(() -> { }, 1, TimeUnit.HOURS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter("eventthread.tasks.completed", "metrics-1")).isGreaterThanOrEqualTo(1);
            assertThat(counter("eventthread.tasks.failed", "metrics-1")).isEqualTo(1);
            assertThat(this.registry.get("eventthread.timers.pending").tag("loop", "metrics-1").gauge().value())
                .isEqualTo(1);
        });
        assertThat(counter("eventthread.tasks.failed", "metrics-2")).isZero();
    }

    @Test
    void stuckAndUtilizationShouldReflectABusyLoop() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        BlockedLoop blocked = BlockedLoop.block(this.eventThread.loops().get(1));
        try {
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(gauge("eventthread.loop.stuck", "metrics-2")).isEqualTo(1));
            // The window since the previous snapshot was spent entirely in the blocking callback.
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(gauge("eventthread.loop.utilization", "metrics-2")).isGreaterThan(0.9));
            assertThat(gauge("eventthread.loop.stuck", "metrics-1")).isZero();
        }
        finally {
            blocked.close();
        }
    }

    private double counter(String name, String loop) {
        return this.registry.get(name).tag("loop", loop).functionCounter().count();
    }

    private double gauge(String name, String loop) {
        return this.registry.get(name).tag("loop", loop).gauge().value();
    }

}

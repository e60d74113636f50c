package io.eventthread.autoconfigure.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import io.eventthread.LoopDelay;
import io.eventthread.autoconfigure.BlockedLoop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
    void blockingCallsShouldBeACounterOfCalls() {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        var blocked = this.registry.get("eventthread.blocked").tag("loop", "metrics-1").functionCounter();
        assertThat(blocked.getId().getBaseUnit()).isEqualTo("calls");
        assertThat(blocked.count()).isEqualTo(this.eventThread.loops().get(0).stats().blockingCalls());
    }

    @Test
    void metersShouldBeTaggedByGroupAndLoop() {
        new EventThreadMetrics(this.eventThread, "loops", Tags.of("app", "test")).bindTo(this.registry);
        assertThat(this.registry.get("eventthread.queued").gauges()).hasSize(2);
        assertThat(this.registry.get("eventthread.queued").tags("name", "loops", "loop", "metrics-1", "app", "test")
            .gauge()
            .value()).isZero();
        assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
            .containsOnly("eventthread.queued", "eventthread.scheduled", "eventthread.completed", "eventthread.failed",
                    "eventthread.rejected", "eventthread.slow", "eventthread.stuck", "eventthread.blocked", "eventthread.loop.busy",
                    "eventthread.loop.delay", "eventthread.loop.delay.buckets", "eventthread.loop.delay.max", "eventthread.loop.stuck",
                    "eventthread.blocking.active", "eventthread.blocking.pool.size", "eventthread.blocking.pool.max",
                    "eventthread.blocking.queued", "eventthread.blocking.completed");
    }

    @Test
    void everyMeterWithAUnitShouldCarryItsBaseUnit() {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        // a 0/1 flag, and the histogram's buckets (counts of samples; the le tag carries the seconds)
        assertThat(this.registry.getMeters())
            .filteredOn((meter) -> !meter.getId().getName().equals("eventthread.loop.stuck")
                    && !meter.getId().getName().equals("eventthread.loop.delay.buckets"))
            .allSatisfy((meter) -> assertThat(meter.getId().getBaseUnit()).as(meter.getId().getName()).isNotBlank());
        assertThat(this.registry.get("eventthread.loop.busy").functionCounter().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(this.registry.get("eventthread.blocking.pool.max").tag("name", "loops").gauge().value())
            .isEqualTo(this.eventThread.blockingPool().maxThreads());
    }

    @Test
    void countersShouldFollowTheLoopStats() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        var loop = this.eventThread.loops().get(0);
        loop.submit(() -> "ok").get(10, TimeUnit.SECONDS);
        loop.submit(() -> {
            throw new IllegalStateException("expected by the test");
        }).handle((value, ex) -> null).get(10, TimeUnit.SECONDS);
        loop.callLater(java.time.Duration.ofHours(1), () -> { });
        loop.runBlocking(() -> "blocking").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter("eventthread.completed", "metrics-1")).isGreaterThanOrEqualTo(1);
            assertThat(counter("eventthread.failed", "metrics-1")).isEqualTo(1);
            assertThat(this.registry.get("eventthread.scheduled").tag("loop", "metrics-1").gauge().value()).isEqualTo(1);
            assertThat(this.registry.get("eventthread.blocking.completed").functionCounter().count()).isEqualTo(1);
            FunctionTimer delay = this.registry.get("eventthread.loop.delay").tag("loop", "metrics-1").functionTimer();
            assertThat(delay.count()).isGreaterThanOrEqualTo(2);
            assertThat(delay.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        });
        assertThat(counter("eventthread.failed", "metrics-2")).isZero();
    }

    @Test
    void loopDelayBucketsShouldBeCumulativeCountersTaggedLeInSecondsFrom1usTo17sAndInf() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        var loop = this.eventThread.loops().get(0);
        for (int i = 0; i < 20; i++) {
            loop.submit(() -> "ok").get(10, TimeUnit.SECONDS);
        }
        Collection<FunctionCounter> buckets = this.registry.get("eventthread.loop.delay.buckets")
            .tags("name", "loops", "loop", "metrics-1")
            .functionCounters();
        assertThat(buckets).hasSize(26);
        Map<String, Double> byLe = new TreeMap<>();
        buckets.forEach((bucket) -> byLe.put(bucket.getId().getTag("le"), bucket.count()));
        assertThat(byLe).containsKeys("1.024E-6", "0.001048576", "1.073741824", "17.179869184", "+Inf");
        LoopDelay.Histogram histogram = loop.stats().delay().histogram();
        assertThat(byLe.get("+Inf")).isEqualTo(histogram.count()).isGreaterThanOrEqualTo(20);
        assertThat(byLe.get("0.001048576")).isEqualTo(histogram.cumulativeCount(20));
        // cumulative: ordered by bound, no bucket holds fewer samples than the one below it
        List<Double> counts = byLe.entrySet()
            .stream()
            .sorted(Comparator.comparingDouble((e) -> e.getKey().equals("+Inf") ? Double.POSITIVE_INFINITY
                    : Double.parseDouble(e.getKey())))
            .map(Map.Entry::getValue)
            .toList();
        assertThat(counts).isSorted();
        FunctionTimer delay = this.registry.get("eventthread.loop.delay").tag("loop", "metrics-1").functionTimer();
        assertThat(delay.count()).as("_count agrees with le=+Inf").isEqualTo(byLe.get("+Inf"));
    }

    @Test
    void thePrometheusScrapeShouldCarryTheBucketsWithTheCountAndSum() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(prometheus);
        this.eventThread.loops().get(1).submit(() -> "ok").get(10, TimeUnit.SECONDS);
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("# TYPE eventthread_loop_delay_buckets_total counter")
            .containsPattern("eventthread_loop_delay_buckets_total\\{le=\"1\\.024E-6\",loop=\"metrics-2\",name=\"loops\"} \\d")
            .containsPattern("eventthread_loop_delay_buckets_total\\{le=\"\\+Inf\",loop=\"metrics-2\",name=\"loops\"} [1-9]")
            .containsPattern("eventthread_loop_delay_seconds_count\\{loop=\"metrics-2\",name=\"loops\"} [1-9]")
            .contains("eventthread_loop_delay_seconds_sum{loop=\"metrics-2\",name=\"loops\"}");
    }

    @Test
    void busyTimeShouldNotDependOnWhoReadItBefore() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(second);
        var loop = this.eventThread.loops().get(0);
        loop.submit(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
        double first = counter("eventthread.loop.busy", "metrics-1");
        double again = counter("eventthread.loop.busy", "metrics-1");
        double other = second.get("eventthread.loop.busy").tag("loop", "metrics-1").functionCounter().count();
        assertThat(first).isGreaterThanOrEqualTo(0.15);
        // no reader consumes what another reads (a step meter would read ~0 the second time); an
        // idle loop adds only the edges of its bursts, which on a saturated machine can reach a few
        // milliseconds when its thread is descheduled inside one, so: never less, never much more
        assertThat(again).isBetween(first, first + 0.05);
        assertThat(other).isBetween(first, first + 0.05);
    }

    @Test
    void stuckIncidentsAndBusyTimeShouldReflectABlockedLoop() throws Exception {
        new EventThreadMetrics(this.eventThread, "loops", Tags.empty()).bindTo(this.registry);
        BlockedLoop blocked = BlockedLoop.block(this.eventThread.loops().get(1));
        try {
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(gauge("eventthread.loop.stuck", "metrics-2")).isEqualTo(1));
            assertThat(counter("eventthread.stuck", "metrics-2")).isEqualTo(1);
            double busy = counter("eventthread.loop.busy", "metrics-2");
            // the callback in progress counts as busy: the counter keeps rising while the loop is stuck
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(counter("eventthread.loop.busy", "metrics-2")).isGreaterThan(busy + 0.1));
            assertThat(gauge("eventthread.loop.stuck", "metrics-1")).isZero();
            assertThat(counter("eventthread.stuck", "metrics-1")).isZero();
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

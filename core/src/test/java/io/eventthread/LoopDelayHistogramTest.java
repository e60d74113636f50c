package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop delay histogram in the stats: what lands in which bucket, and the value's contract. */
@Timeout(30)
class LoopDelayHistogramTest {

    /** A clock the test moves by hand, so each delay is exact. */
    static final class ManualClock implements LoopClock {
        final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }
    }

    @Test
    void eachDelayIsCountedInTheBucketWhosePowerOfTwoBoundHoldsIt() throws Exception {
        ManualClock clock = new ManualClock();
        try (EventThread group = TestLoops.builder("histogram").clock(clock).idleSpin(Duration.ZERO).build().start()) {
            EventLoop loop = group.next();
            TestLoops.sync(loop);
            // what start-up recorded (engine tasks that carry a timestamp) is left out by difference
            LoopDelay.Histogram before = loop.stats().delay().histogram();
            // delays of exactly 1024 ns (a bound: inclusive), 1025 ns (the next bucket) and 50 ms
            for (long delay : new long[] {1024, 1025, 50_000_000}) {
                CountDownLatch release = new CountDownLatch(1);
                loop.execute(() -> {
                    await(release);
                    clock.now.addAndGet(delay);
                });
                LoopFuture<Integer> behind = loop.submit(() -> 1);
                release.countDown();
                behind.get(5, TimeUnit.SECONDS);
            }
            LoopDelay delay = loop.stats().delay();
            LoopDelay.Histogram h = delay.histogram();
            assertThat(h.count()).as("the count is the histogram's").isEqualTo(delay.count());
            assertThat(h.count() - before.count()).as("%s, then %s", before, h).isEqualTo(3);
            assertThat(LoopDelay.Histogram.upperBound(10)).isEqualTo(Duration.ofNanos(1024));
            assertThat(added(before, h, 9)).as("<= 512 ns").isZero();
            assertThat(added(before, h, 10)).as("<= 1024 ns").isEqualTo(1);
            assertThat(added(before, h, 11)).as("<= 2048 ns").isEqualTo(2);
            assertThat(added(before, h, 25)).as("<= 33.5 ms").isEqualTo(2);
            assertThat(added(before, h, 26)).as("<= 67.1 ms").isEqualTo(3);
            assertThat(added(before, h, LoopDelay.Histogram.BUCKETS - 1)).isEqualTo(3);
            assertThat(delay.max()).isEqualTo(Duration.ofMillis(50));
            // the few start-up samples are ~0: the 99th percentile is the 50 ms one, the top of its
            // bucket (67.1 ms) capped by the max
            assertThat(before.count()).isLessThan(50);
            assertThat(delay.p99()).isEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void histogramsOfTwoSnapshotsAddBucketByBucketAndAnEmptyOneIsTheDefault() {
        long[] counts = new long[LoopDelay.Histogram.BUCKETS];
        for (int i = 20; i < counts.length; i++) {
            counts[i] = 7;
        }
        LoopDelay.Histogram h = LoopDelay.Histogram.of(counts);
        LoopDelay.Histogram same = LoopDelay.Histogram.of(counts.clone());
        counts[63] = 99; // the histogram holds a copy
        assertThat(h.cumulativeCount(63)).isEqualTo(7);
        assertThat(h.cumulativeCount(19)).isZero();
        assertThat(h).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(h.toString()).isEqualTo("Histogram[<=PT0.001048576S: 7]");
        assertThat(LoopStats.builder().build().delay().histogram()).isEqualTo(LoopDelay.Histogram.EMPTY);
        assertThat(LoopDelay.Histogram.upperBound(63)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void countsThatAreNotCumulativeOrNotOnePerBucketAreRefused() {
        long[] decreasing = new long[LoopDelay.Histogram.BUCKETS];
        decreasing[3] = 5;
        assertThatIllegalArgumentException().isThrownBy(() -> LoopDelay.Histogram.of(decreasing))
                .withMessage("cumulativeCounts[4]: 0 (expected: >= 5, counts are cumulative)");
        assertThatIllegalArgumentException().isThrownBy(() -> LoopDelay.Histogram.of(1, 2, 3))
                .withMessage("cumulativeCounts: 3 counts (expected: 64, one per bucket)");
    }

    private static long added(LoopDelay.Histogram before, LoopDelay.Histogram after, int bucket) {
        return after.cumulativeCount(bucket) - before.cumulativeCount(bucket);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

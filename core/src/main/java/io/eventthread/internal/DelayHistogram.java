package io.eventthread.internal;

import io.eventthread.LoopDelay;
import java.time.Duration;

/**
 * Loop delay samples in base-2 buckets of nanoseconds, with a lifetime maximum and a windowed
 * recent maximum. Written by one thread (the loop) with plain stores and no allocation; read by
 * any thread, which may see a slightly stale or torn-between-fields view, as metrics may.
 *
 * <p>Bucket {@code i} counts samples of at most {@code 2^i} ns (and more than {@code 2^(i-1)} ns
 * for {@code i > 0}): upper bounds inclusive, as Prometheus's {@code le} reads them, so an exporter
 * can hand a bucket's cumulative count on as is.
 */
final class DelayHistogram {

    private static final int BUCKETS = LoopDelay.Histogram.BUCKETS;

    private final long[] buckets = new long[BUCKETS];
    private final long windowNanos;
    private long count;
    private long total;
    private long max;
    private long windowStart;
    private long currentWindowMax;
    private long previousWindowMax;

    /** @param windowNanos the length of one recent-maximum window */
    DelayHistogram(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Records one sample; negative samples count as zero.
     * @param delayNanos the delay
     * @param nowNanos the current clock time, to roll the recent-maximum window
     */
    void record(long delayNanos, long nowNanos) {
        long d = Math.max(0, delayNanos);
        // bucket i holds (2^(i-1), 2^i]: 0 and 1 go to bucket 0; d - 1 < 2^63 - 1, so i <= 63
        buckets[BUCKETS - Long.numberOfLeadingZeros(Math.max(0, d - 1))]++;
        count++;
        total += d;
        if (d > max) {
            max = d;
        }
        if (nowNanos - windowStart >= windowNanos) {
            previousWindowMax = nowNanos - windowStart >= 2 * windowNanos ? 0 : currentWindowMax;
            currentWindowMax = 0;
            windowStart = nowNanos;
        }
        if (d > currentWindowMax) {
            currentWindowMax = d;
        }
    }

    /**
     * The largest sample of the current and the previous window; zero when no sample arrived for
     * two windows.
     * @param nowNanos the current clock time
     * @return the recent maximum in nanoseconds
     */
    long recentMax(long nowNanos) {
        long age = nowNanos - windowStart;
        if (age >= 2 * windowNanos) {
            return 0;
        }
        long recent = currentWindowMax;
        if (age < windowNanos) {
            recent = Math.max(recent, previousWindowMax);
        }
        return recent;
    }

    /**
     * The figures as the public API shows them, read racily: the count is the sum of the buckets
     * read, so it always agrees with the histogram it comes with.
     * @param nowNanos the current clock time, for the recent maximum
     * @return the snapshot
     */
    LoopDelay snapshot(long nowNanos) {
        long[] cumulative = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += buckets[i];
            cumulative[i] = n;
        }
        long largest = max;
        return new LoopDelay(n, Duration.ofNanos(total), Duration.ofNanos(largest),
                Duration.ofNanos(recentMax(nowNanos)), Duration.ofNanos(quantileUpperBound(cumulative, 0.5, largest)),
                Duration.ofNanos(quantileUpperBound(cumulative, 0.99, largest)), LoopDelay.Histogram.of(cumulative));
    }

    /** An upper bound of a quantile: the top of the bucket that holds it, capped by the maximum. */
    private static long quantileUpperBound(long[] cumulative, double quantile, long max) {
        long n = cumulative[BUCKETS - 1];
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * n));
        for (int i = 0; i < BUCKETS; i++) {
            if (cumulative[i] >= rank) {
                return Math.min(max, i == BUCKETS - 1 ? Long.MAX_VALUE : 1L << i);
            }
        }
        return max;
    }
}

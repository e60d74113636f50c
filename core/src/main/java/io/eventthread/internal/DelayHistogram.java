package io.eventthread.internal;

/**
 * Loop delay samples in base-2 buckets of nanoseconds, with a lifetime maximum and a windowed
 * recent maximum. Written by one thread (the loop) with plain stores and no allocation; read by
 * any thread, which may see a slightly stale or torn-between-fields view, as metrics may.
 */
final class DelayHistogram {

    private static final int BUCKETS = 64;

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
    public void record(long delayNanos, long nowNanos) {
        long d = Math.max(0, delayNanos);
        // bucket i holds [2^(i-1), 2^i - 1]; d >= 0 has a leading zero, so i <= 63
        buckets[BUCKETS - Long.numberOfLeadingZeros(d)]++;
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

    /** @return the number of samples */
    public long count() {
        return count;
    }

    /** @return the sum of samples in nanoseconds */
    public long total() {
        return total;
    }

    /** @return the largest sample */
    public long max() {
        return max;
    }

    /**
     * The largest sample of the current and the previous window; zero when no sample arrived for
     * two windows.
     * @param nowNanos the current clock time
     * @return the recent maximum in nanoseconds
     */
    public long recentMax(long nowNanos) {
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
     * An upper bound of the given quantile: the top of the bucket that holds it.
     * @param quantile from 0 to 1
     * @return the bound in nanoseconds, zero without samples
     */
    public long quantileUpperBound(double quantile) {
        long[] copy = buckets.clone();
        long n = 0;
        for (long b : copy) {
            n += b;
        }
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += copy[i];
            if (seen >= Math.max(1, rank)) {
                return i == 0 ? 0 : Math.min(max, (1L << i) - 1);
            }
        }
        return max;
    }
}

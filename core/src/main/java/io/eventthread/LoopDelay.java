package io.eventthread;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How late work started on a loop compared with when it was due: the enqueue time for tasks, the
 * deadline for timers. Samples come from every task that carries a timestamp (futures, handles,
 * timers, completions of blocking and asynchronous work) and from a probe the watchdog sends to a
 * busy loop each interval, so loops fed only by {@code execute} are measured too.
 *
 * @param count samples recorded since the loop started (the histogram's count)
 * @param total the sum of all samples
 * @param max the largest sample since the loop started
 * @param recentMax the largest sample in the last few seconds (at least two watchdog intervals)
 * @param p50 the median, from the histogram (so within a factor of two)
 * @param p99 the 99th percentile, from the same histogram
 * @param histogram every sample since the loop started, in base-2 buckets, for exporters that
 *        aggregate percentiles across loops and processes (Prometheus's {@code histogram_quantile})
 */
public record LoopDelay(long count, Duration total, Duration max, Duration recentMax,
        Duration p50, Duration p99, Histogram histogram) {

    /** @throws NullPointerException without a histogram (pass {@link Histogram#EMPTY}) */
    public LoopDelay {
        Objects.requireNonNull(histogram, "histogram");
    }

    /**
     * Figures without a histogram (an empty one), as before histograms were exposed.
     * @param count samples recorded
     * @param total the sum of all samples
     * @param max the largest sample
     * @param recentMax the largest recent sample
     * @param p50 the median
     * @param p99 the 99th percentile
     */
    public LoopDelay(long count, Duration total, Duration max, Duration recentMax, Duration p50, Duration p99) {
        this(count, total, max, recentMax, p50, p99, Histogram.EMPTY);
    }

    /**
     * The mean delay.
     * @return {@code total / count}, zero without samples
     */
    public Duration mean() {
        return count == 0 ? Duration.ZERO : total.dividedBy(count);
    }

    /**
     * Delay samples in {@value #BUCKETS} buckets with power-of-two upper bounds: bucket {@code i}
     * counts samples of at most {@code 2^i} ns (1 ns, 2 ns, 4 ns, ... 1.07 s at {@code i = 30},
     * ... and everything else in the last). Counts are cumulative, as Prometheus's {@code le}
     * buckets are: {@code cumulativeCount(i)} is the number of samples of at most
     * {@code upperBound(i)}, so any two snapshots, of any loops, add bucket by bucket. Within a
     * bucket a sample is known to a factor of two.
     */
    public static final class Histogram {

        /** The number of buckets. */
        public static final int BUCKETS = 64;

        /** No samples. */
        public static final Histogram EMPTY = new Histogram(new long[BUCKETS]);

        private final long[] cumulative;

        private Histogram(long[] cumulative) {
            this.cumulative = cumulative;
        }

        /**
         * A histogram of cumulative counts (for tests of code that reads stats).
         * @param cumulativeCounts {@value #BUCKETS} counts, each at least the one before
         * @return the histogram, holding a copy
         * @throws IllegalArgumentException if there are not {@value #BUCKETS} counts or one
         *         decreases
         */
        public static Histogram of(long... cumulativeCounts) {
            if (cumulativeCounts.length != BUCKETS) {
                throw new IllegalArgumentException("cumulativeCounts: " + cumulativeCounts.length + " counts (expected: "
                        + BUCKETS + ", one per bucket)");
            }
            long[] copy = cumulativeCounts.clone();
            for (int i = 0; i < BUCKETS; i++) {
                if (copy[i] < (i == 0 ? 0 : copy[i - 1])) {
                    throw new IllegalArgumentException("cumulativeCounts[" + i + "]: " + copy[i] + " (expected: >= "
                            + (i == 0 ? 0 : copy[i - 1]) + ", counts are cumulative)");
                }
            }
            return new Histogram(copy);
        }

        /**
         * The inclusive upper bound of a bucket.
         * @param bucket 0 to {@code BUCKETS - 1}
         * @return {@code 2^bucket} ns; the largest {@code Duration} of nanoseconds for the last
         */
        public static Duration upperBound(int bucket) {
            Objects.checkIndex(bucket, BUCKETS);
            return Duration.ofNanos(bucket == BUCKETS - 1 ? Long.MAX_VALUE : 1L << bucket);
        }

        /**
         * Samples at or below a bucket's upper bound.
         * @param bucket 0 to {@code BUCKETS - 1}
         * @return the cumulative count
         */
        public long cumulativeCount(int bucket) {
            return cumulative[Objects.checkIndex(bucket, BUCKETS)];
        }

        /** @return all samples: the last bucket's cumulative count */
        public long count() {
            return cumulative[BUCKETS - 1];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && Arrays.equals(cumulative, h.cumulative);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(cumulative);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("Histogram[");
            long before = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (cumulative[i] != before) {
                    out.append(out.length() > 10 ? ", " : "").append("<=").append(upperBound(i)).append(": ")
                            .append(cumulative[i] - before);
                    before = cumulative[i];
                }
            }
            return out.append(']').toString();
        }
    }
}

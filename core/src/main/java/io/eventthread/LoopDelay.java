package io.eventthread;

import java.time.Duration;

/**
 * How late work started on a loop compared with when it was due: the enqueue time for tasks, the
 * deadline for timers. Samples come from every task that carries a timestamp (futures, handles,
 * timers, completions of blocking and asynchronous work) and from a probe the watchdog sends to a
 * busy loop each interval, so loops fed only by {@code execute} are measured too.
 *
 * @param count samples recorded since the loop started
 * @param total the sum of all samples
 * @param max the largest sample since the loop started
 * @param recentMax the largest sample in the last few seconds (at least two watchdog intervals)
 * @param p50 the median, from a base-2 histogram (so within a factor of two)
 * @param p99 the 99th percentile, from the same histogram
 */
public record LoopDelay(long count, Duration total, Duration max, Duration recentMax,
        Duration p50, Duration p99) {

    /**
     * The mean delay.
     * @return {@code total / count}, zero without samples
     */
    public Duration mean() {
        return count == 0 ? Duration.ZERO : total.dividedBy(count);
    }
}

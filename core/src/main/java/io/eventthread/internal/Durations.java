package io.eventthread.internal;

import java.time.Duration;

/**
 * The one conversion of a {@link Duration} to nanoseconds used everywhere in the library: it
 * saturates instead of overflowing, so {@code Duration.ofSeconds(Long.MAX_VALUE)} means "for
 * ever" rather than an {@link ArithmeticException}, and a negative duration means zero.
 */
public final class Durations {

    /**
     * The longest delay, timeout or deadline distance the engine uses, about 146 years: deadlines
     * on a monotonic clock compare by subtraction, which stays exact within this distance.
     */
    public static final long MAX_NANOS = Long.MAX_VALUE >> 1;

    private Durations() {
    }

    /**
     * The duration in nanoseconds, from 0 to {@link #MAX_NANOS}.
     * @param duration a duration, of any length and sign
     * @return its nanoseconds, saturated
     */
    public static long saturatedNanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        if (duration.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        return Math.min(duration.toNanos(), MAX_NANOS);
    }

    /**
     * Clamps a nanosecond count to 0..{@link #MAX_NANOS}.
     * @param nanos any count
     * @return the clamped count
     */
    public static long clamp(long nanos) {
        return Math.max(0, Math.min(nanos, MAX_NANOS));
    }
}

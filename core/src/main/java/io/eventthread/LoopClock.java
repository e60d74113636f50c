package io.eventthread;

/**
 * The monotonic clock a loop reads for {@link EventLoop#time()}, timers and its statistics.
 * Tests inject a controllable clock; production code uses {@link #SYSTEM}.
 */
@FunctionalInterface
public interface LoopClock {

    /** {@link System#nanoTime()}. */
    LoopClock SYSTEM = System::nanoTime;

    /**
     * The current time in nanoseconds, monotonic, with an arbitrary origin.
     * @return the time in nanoseconds
     */
    long nanoTime();
}

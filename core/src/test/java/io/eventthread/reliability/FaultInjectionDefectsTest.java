package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopStats;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault-injection checks that expose engine defects (see the reliability report). They assert
 * the correct behaviour and fail until the engine is fixed.
 */
@Timeout(60)
class FaultInjectionDefectsTest {

    /** A due time in the past means "now"; the most distant past is no exception. */
    @Test
    void callAtLongMinValueFiresPromptly() throws Exception {
        EventThread group = Loops.builder("min").build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch fired = new CountDownLatch(1);
            loop.callAt(Long.MIN_VALUE, fired::countDown);
            assertThat(fired.await(5, TimeUnit.SECONDS)).as("callAt(Long.MIN_VALUE) fired").isTrue();
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * The loop clock has "an arbitrary origin" (LoopClock), so it may be negative; the far future
     * is still the far future. With a negative clock, {@code Long.MAX_VALUE - now} overflows the
     * same way {@code Long.MIN_VALUE - now} does with a positive one, and the timer fires at once.
     */
    @Test
    void callAtLongMaxValueNeverFiresWhateverTheClockOrigin() throws Exception {
        long origin = -(Long.MAX_VALUE / 2);
        EventThread group = Loops.builder("origin").clock(() -> System.nanoTime() + origin).build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch fired = new CountDownLatch(1);
            LoopHandle far = loop.callAt(Long.MAX_VALUE, fired::countDown);
            // a "never" can only be checked for a while; a wrongly due timer fires within ms
            assertThat(fired.await(500, TimeUnit.MILLISECONDS)).as("callAt(Long.MAX_VALUE) fired").isFalse();
            assertThat(far.isCancelled()).isFalse();
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * A stuck episode that {@code stats()} reported must be counted, whenever the callback returns.
     * Released the moment a snapshot first says {@code stuck()}, the watchdog may never sample it
     * past the threshold: the snapshot said stuck, yet {@code stuckIncidents} stays 0 and no stuck
     * event is logged or sent to listeners.
     */
    @Test
    void aStuckEpisodeSeenInStatsIsCountedAsAnIncident() throws Exception {
        EventThread group = Loops.builder("stuck-count").stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(20)).build().start();
        try {
            EventLoop loop = group.next();
            int rounds = 5;
            for (int round = 1; round <= rounds; round++) {
                CountDownLatch release = new CountDownLatch(1);
                loop.execute(() -> Loops.await(release));
                LoopStats seen;
                long deadline = System.nanoTime() + Loops.WAIT.toNanos();
                while (!(seen = loop.stats()).stuck()) {
                    assertThat(System.nanoTime() - deadline).as("flagged stuck").isNegative();
                    Thread.onSpinWait();
                }
                release.countDown();
                Loops.sync(loop);
                int expected = round;
                assertThat(Loops.eventually(() -> loop.stats().stuckIncidents() >= expected))
                        .as("round %d: stats said stuck (%s) but stuckIncidents is %d", round, seen,
                                loop.stats().stuckIncidents())
                        .isTrue();
            }
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * An interrupt a callback leaves on the loop thread must not reach the callbacks after it
     * (the blocking pool already clears it between tasks for the same reason): a leaked interrupt
     * fails the next callback's interruptible wait, or closes an InterruptibleChannel it uses.
     */
    @Test
    void anInterruptLeftByOneCallbackDoesNotLeakIntoTheNext() throws Exception {
        EventThread group = Loops.builder("leak").build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch gate = new CountDownLatch(1);
            loop.execute(() -> Loops.awaitInterruptibly(gate)); // queue the next two behind it
            loop.execute(() -> Thread.currentThread().interrupt());
            LoopFuture<Boolean> next = loop.submit(() -> Thread.currentThread().isInterrupted());
            gate.countDown();
            assertThat(next.get(10, TimeUnit.SECONDS)).as("the next callback sees the interrupt").isFalse();
        } finally {
            Loops.closeQuietly(group);
        }
    }
}

package io.eventthread;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Busy time read from another thread while the loop closes and opens timing windows: a Micrometer
 * function counter reads it, and a counter that runs ahead and then back reads as a reset.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyTimeReadTest {

    @Test
    void busyTimeReadDuringWorkNeverGoesBackAndNeverExceedsElapsed() throws Exception {
        try (EventThread group = TestLoops.started("busyread", 1)) {
            EventLoop loop = group.next();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch fed = new CountDownLatch(1);
            // callbacks of a few microseconds: the loop closes a window after every one of them
            Thread producer = new Thread(() -> {
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    for (int i = 0; i < 100; i++) {
                        loop.execute(BusyTimeReadTest::spinFewMicros);
                    }
                    Thread.onSpinWait();
                }
                stop.set(true);
                fed.countDown();
            });
            producer.start();
            long previous = 0;
            long reads = 0;
            while (!stop.get()) {
                LoopStats stats = loop.stats();
                long busy = stats.busyTime().toNanos();
                assertThat(busy).as("read %d", reads).isGreaterThanOrEqualTo(previous);
                // a window counted twice would also push busy time past the loop's age
                assertThat(busy).isLessThanOrEqualTo(stats.elapsed().toNanos() + Duration.ofMillis(1).toNanos());
                previous = busy;
                reads++;
            }
            assertThat(fed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reads).isGreaterThan(100);
            assertThat(previous).isPositive();
        }
    }

    private static void spinFewMicros() {
        long until = System.nanoTime() + 3_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}

package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watch sleeps while its loop is parked, and the loop re-arms it when it wakes. */
@Timeout(30)
class WatchdogDormancyTest {

    @Test
    void aParkedLoopIsNotSampledAndAWokenLoopIsWatchedAgain() throws Exception {
        java.util.Map<String, CountDownLatch> stuckLatches = new java.util.concurrent.ConcurrentHashMap<>();
        EventLoopListener listener = new EventLoopListener() {
            @Override
            public void stuck(EventLoop loop, Duration stuckFor, StackTraceElement[] stack) {
                stuckLatches.computeIfAbsent(loop.name(), n -> new CountDownLatch(1)).countDown();
            }
        };
        try (EventThread group = EventThread.builder().threadNamePrefix("dormancy").loopCount(2)
                .slowCallbackThreshold(Duration.ofMillis(40)).stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(200)).listener(listener).build().start()) {
            for (EventLoop loop : group.loops()) {
                StuckDetector detector = ((DefaultEventLoop) loop).core.detector();
                CountDownLatch stuck = stuckLatches.computeIfAbsent(loop.name(), n -> new CountDownLatch(1));
                awaitDormant(detector, loop);
                // woken after dormancy: a callback that blocks must still be reported stuck
                loop.execute(() -> {
                    try {
                        stuck.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(stuck.await(10, TimeUnit.SECONDS)).as("%s reported stuck after waking", loop.name()).isTrue();
                assertThat(detector.isDormant()).as("a busy loop is sampled").isFalse();
                io.eventthread.TestLoops.sync(loop);
                awaitDormant(detector, loop); // and it sleeps again once parked
            }
        }
    }

    private static void awaitDormant(StuckDetector detector, EventLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!detector.isDormant()) {
            assertThat(System.nanoTime() - deadline).as("%s's watch goes dormant while it is parked", loop.name()).isNegative();
            Thread.sleep(5);
        }
    }
}

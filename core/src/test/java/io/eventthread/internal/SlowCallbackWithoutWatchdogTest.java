package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow callbacks are counted by the loop's own timing windows, not by the watchdog's samples: with
 * the (single) watchdog thread held in a blocking action, so it samples nothing, a callback alone
 * in its window is counted and named with its duration, and a slow callback among trivial ones
 * is counted once, as its window. Every report is counted, and no slow callback twice.
 */
@Timeout(30)
class SlowCallbackWithoutWatchdogTest {

    private static final Duration SLOW = Duration.ofMillis(60);

    record Slow(String task, Duration took) {
    }

    @Test
    void slowCallbacksAreCountedWhileTheWatchdogThreadIsHeldBack() throws Exception {
        BlockingQueue<Slow> events = new LinkedBlockingQueue<>();
        List<Slow> reported = new ArrayList<>();
        EventLoopListener listener = new EventLoopListener() {
            @Override
            public void slowCallback(EventLoop loop, String task, Duration duration) {
                events.add(new Slow(task, duration));
            }
        };
        try (EventThread group = EventThread.builder().threadNamePrefix("unwatched")
                .slowCallbackThreshold(Duration.ofMillis(20)).listener(listener).build().start()) {
            EventLoop loop = group.next();
            loop.submit(() -> null).get(5, TimeUnit.SECONDS);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Watchdog.after(() -> {
                held.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0);
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                // alone in its window: named, timed
                loop.execute(EventLoop.labeled("slow-alone", SlowCallbackWithoutWatchdogTest::sleepSlow));
                Slow alone = nextAtLeastSlow(events, reported);
                assertThat(alone).as("counted without the watchdog").isNotNull();
                assertThat(alone.task()).isEqualTo("slow-alone");

                // among trivial callbacks queued in one burst: counted once, named or as its window
                loop.execute(() -> {
                    for (int i = 0; i < 5; i++) {
                        loop.execute(() -> { });
                    }
                    loop.execute(EventLoop.labeled("slow-among", SlowCallbackWithoutWatchdogTest::sleepSlow));
                    for (int i = 0; i < 5; i++) {
                        loop.execute(() -> { });
                    }
                });
                Slow among = nextAtLeastSlow(events, reported);
                assertThat(among).as("counted without the watchdog").isNotNull();
                if (!among.task().equals("slow-among")) {
                    assertThat(among.task()).matches("one or more of \\d+ callbacks run back to back, the first: .*");
                }
                assertThat(held.getCount()).as("the watchdog was held all along").isZero();
                assertThat(release.getCount()).isOne();
            } finally {
                release.countDown();
            }
            // waits without a callback of its own, which a busy machine could hold past the threshold
            io.eventthread.TestLoops.awaitParked(loop);
            Slow late;
            while ((late = events.poll(200, TimeUnit.MILLISECONDS)) != null) {
                assertThat(late.took()).as("each slow callback counted once: %s", late).isLessThan(SLOW);
                reported.add(late);
            }
            assertThat(loop.stats().slowCallbacks()).as("counted as reported: %s", reported).isEqualTo(reported.size());
        }
    }

    /**
     * The next report of a callback that took at least {@link #SLOW}. On a busy machine the loop
     * thread can be descheduled inside a trivial callback for longer than the threshold: that
     * callback is then slow too, and reported under its own name and time, below {@code SLOW}.
     */
    private static Slow nextAtLeastSlow(BlockingQueue<Slow> events, List<Slow> reported) throws InterruptedException {
        Slow event;
        while ((event = events.poll(10, TimeUnit.SECONDS)) != null) {
            reported.add(event);
            if (event.took().compareTo(SLOW) >= 0) {
                return event;
            }
        }
        return null;
    }

    private static void sleepSlow() {
        long until = System.nanoTime() + SLOW.toNanos();
        while (System.nanoTime() - until < 0) {
            try {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Submission vs. the loop going idle: the parking protocol is a Dekker pair (loop: write
 * {@code parked}, re-check the queue; producer: offer, read {@code parked}). A lost wake-up shows
 * as a task that sits in the queue of a parked loop with no timer to wake it: forever.
 */
@Timeout(60)
class WakeUpStressTest {

    /** Generous for a loaded machine; a lost wake-up never runs at all. */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    @ParameterizedTest(name = "idleSpin {0} µs")
    @ValueSource(longs = {0, 10})
    void aTaskSubmittedAsTheLoopGoesIdleStillRunsPromptly(long spinMicros) throws Exception {
        EventThread group = Loops.builder("wake").idleSpin(Duration.ofNanos(spinMicros * 1000)).build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch never = new CountDownLatch(1);
            long deadline = Soak.deadline();
            int rounds = 0;
            while (rounds < 300 || Soak.before(deadline)) {
                rounds++;
                // wait until the loop has nothing queued, then pause a random few microseconds so
                // the next offer lands anywhere in the spin, the parked-flag write or the park
                Loops.sync(loop);
                assertThat(Loops.eventually(() -> loop.stats().queueDepth() == 0)).isTrue();
                long pauseNanos = ThreadLocalRandom.current().nextLong(0, 60_000);
                if (pauseNanos > 0) {
                    never.await(pauseNanos, TimeUnit.NANOSECONDS);
                }
                CountDownLatch ran = new CountDownLatch(1);
                long offered = System.nanoTime();
                loop.execute(ran::countDown);
                if (!ran.await(PROMPT.toMillis(), TimeUnit.MILLISECONDS)) {
                    boolean late = ran.await(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    throw new AssertionError("round " + rounds + ": task offered to an idle loop did not run within "
                            + PROMPT + (late ? " (it ran later: slow, not lost)" : " nor within " + Loops.WAIT
                            + ": wake-up lost") + "; stats " + loop.stats());
                }
                Soak.OPERATIONS.incrementAndGet();
                assertThat(Duration.ofNanos(System.nanoTime() - offered)).isLessThan(PROMPT);
            }
        } finally {
            Loops.closeQuietly(group);
        }
    }
}

package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopHandle;
import io.eventthread.TestLoops;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timer messages from another thread wake a parked loop only when it must see them sooner than it
 * will anyway: a timer due after the loop's next wake-up and a cancel's unlink message let it sleep,
 * yet the timer fires on time and the cancelled timer leaves the heap by the loop's next turn. A
 * timer cancelled before the loop took its insert message needs no second message at all.
 */
@Timeout(30)
class QuietTimerMessagesTest {

    @Test
    void aTimerLaterThanTheLoopsNextWakeUpLetsItSleepAndStillFiresOnTime() throws Exception {
        try (EventThread group = TestLoops.started("quiet-far", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            CompletableFuture<Long> earlier = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(1000), () -> earlier.complete(System.nanoTime()));
            awaitParkedWith(core, 1);

            long quiet = core.timers().quietMessages();
            long scheduledAt = System.nanoTime();
            CompletableFuture<Long> later = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(1200), () -> later.complete(System.nanoTime()));

            assertThat(core.timers().quietMessages()).as("the later timer let the parked loop sleep").isEqualTo(quiet + 1);
            long firedAt = later.get(10, TimeUnit.SECONDS);
            assertThat(firedAt - scheduledAt).as("never early").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1200));
            assertThat(earlier.get(10, TimeUnit.SECONDS)).as("in deadline order").isLessThanOrEqualTo(firedAt);
            TestLoops.sync(loop);
            assertThat(core.pendingTimers()).isZero();
        }
    }

    @Test
    void aCancelFromAnotherThreadLetsTheLoopSleepAndIsUnlinkedByItsNextTurn() throws Exception {
        try (EventThread group = TestLoops.started("quiet-cancel", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            loop.callLater(Duration.ofSeconds(30), () -> { });
            awaitParkedWith(core, 1);
            long quiet = core.timers().quietMessages();
            // earlier than the loop's wake-up: this one must wake it, and is inserted
            LoopHandle earlier = loop.callLater(Duration.ofSeconds(20), () -> { });
            awaitParkedWith(core, 2);
            assertThat(core.timers().quietMessages()).as("an earlier timer wakes the loop").isEqualTo(quiet);

            assertThat(earlier.cancel()).isTrue();

            assertThat(core.timers().quietMessages()).as("the unlink message let the loop sleep").isEqualTo(quiet + 1);
            TestLoops.sync(loop); // the next turn: the unlink message was queued before this round trip
            assertThat(core.pendingTimers()).as("unlinked by the next turn").isEqualTo(1);
        }
    }

    @Test
    void aTimerCancelledBeforeTheLoopTookItsInsertMessageSendsNoUnlinkMessage() throws Exception {
        try (EventThread group = TestLoops.started("quiet-unsent", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            // the loop is busy: the insert message waits in the queue
            LoopHandle timer = loop.callLater(Duration.ofMillis(100), () -> { });
            assertThat(core.queueSize()).isEqualTo(1);

            assertThat(timer.cancel()).isTrue();

            assertThat(core.queueSize()).as("no unlink message behind the insert message").isEqualTo(1);
            release.countDown();
            TestLoops.sync(loop);
            assertThat(core.pendingTimers()).as("the loop found it cancelled and did not insert it").isZero();
            assertThat(timer.isCancelled()).isTrue();
        }
    }

    @Test
    void quietMessagesPastTheLimitWakeTheLoop() throws Exception {
        try (EventThread group = TestLoops.started("quiet-limit", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            loop.callLater(Duration.ofSeconds(30), () -> { });
            awaitParkedWith(core, 1);
            int timers = Timers.QUIET_LIMIT * 2;
            AtomicInteger fired = new AtomicInteger();
            for (int i = 0; i < timers; i++) {
                loop.callLater(Duration.ofSeconds(40), fired::incrementAndGet);
            }
            // without a wake-up they would wait 30 s for the loop's timer; the limit bounds what waits
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (core.pendingTimers() < timers + 1 - Timers.QUIET_LIMIT) {
                assertThat(System.nanoTime() - deadline).as("the loop was woken past the limit").isNegative();
                Thread.sleep(1);
            }
            assertThat(core.timers().quietMessages()).isLessThanOrEqualTo(timers);
            assertThat(fired).hasValue(0);
        }
    }

    @Test
    void aTimerForALoopParkedWithoutTimersWakesIt() throws Exception {
        try (EventThread group = TestLoops.started("quiet-none", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            awaitParkedWith(core, 0);
            long quiet = core.timers().quietMessages();
            CompletableFuture<Void> fired = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(50), () -> fired.complete(null));
            fired.get(10, TimeUnit.SECONDS);
            assertThat(core.timers().quietMessages()).isEqualTo(quiet);
        }
    }

    /** Waits until the loop is parked holding {@code timers} timers. */
    private static void awaitParkedWith(LoopCore core, int timers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(core.isParked() && core.pendingTimers() == timers && core.queueSize() == 0)) {
            assertThat(System.nanoTime() - deadline).as("the loop parks with %d timers", timers).isNegative();
            Thread.sleep(1);
        }
        TestLoops.awaitParked(core.loop());
    }
}

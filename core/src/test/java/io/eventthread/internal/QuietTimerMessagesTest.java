package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopHandle;
import io.eventthread.TestLoops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timer messages from another thread wake a parked loop only when it must see them sooner than it
 * will anyway: a timer due after the loop's next wake-up lets it sleep, yet fires on time. A cancel
 * from another thread sends no message at all: the timer is counted out at once and dropped from
 * the heap by the loop's next turn (a purge) or when it falls due, never fired.
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
    void aCancelFromAnotherThreadSendsNothingAndTheLoopDropsTheTimerAtItsNextTurn() throws Exception {
        try (EventThread group = TestLoops.started("quiet-cancel", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            loop.callLater(Duration.ofSeconds(30), () -> { });
            LoopHandle earlier = loop.callLater(Duration.ofSeconds(20), () -> { });
            LoopHandle earliest = loop.callLater(Duration.ofSeconds(10), () -> { });
            awaitParkedWith(core, 3);
            long quiet = core.timers().quietMessages();

            assertThat(earlier.cancel()).isTrue();
            assertThat(earliest.cancel()).isTrue();

            assertThat(core.queueSize()).as("no message").isZero();
            assertThat(core.timers().quietMessages()).isEqualTo(quiet);
            assertThat(core.pendingTimers()).as("counted out at once").isEqualTo(1);
            assertThat(core.timers().held()).as("still in the heap while the loop sleeps").isEqualTo(3);
            TestLoops.sync(loop); // the loop's next turn purges: the garbage is over half the heap
            assertThat(core.timers().held()).as("dropped by the next turn").isEqualTo(1);
            assertThat(core.pendingTimers()).isEqualTo(1);
        }
    }

    @Test
    void cancelsFromAnotherThreadWakeASleepingLoopToPurgeEveryQuietLimit() throws Exception {
        try (EventThread group = TestLoops.started("quiet-purge", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            int timers = Timers.QUIET_LIMIT * 3 / 2;
            List<LoopHandle> handles = new ArrayList<>();
            for (int i = 0; i < timers; i++) {
                handles.add(loop.callLater(Duration.ofMinutes(10), () -> { }));
            }
            TestLoops.sync(loop);
            awaitParkedWith(core, timers);

            handles.subList(0, Timers.QUIET_LIMIT - 1).forEach(LoopHandle::cancel);
            assertThat(core.pendingTimers()).isEqualTo(timers - Timers.QUIET_LIMIT + 1);
            assertThat(core.timers().held()).as("under the limit the loop sleeps on").isEqualTo(timers);
            handles.get(Timers.QUIET_LIMIT - 1).cancel(); // the limit-th wakes it, and two thirds of the heap are garbage

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (core.timers().held() != timers - Timers.QUIET_LIMIT) {
                assertThat(System.nanoTime() - deadline).as("the woken loop purged").isNegative();
                Thread.sleep(1);
            }
            assertThat(core.pendingTimers()).isEqualTo(timers - Timers.QUIET_LIMIT);
        }
    }

    @Test
    void aTimerCancelledFromAnotherThreadNeverFiresEvenAfterItsDeadline() throws Exception {
        try (EventThread group = TestLoops.started("quiet-garbage", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            AtomicInteger fired = new AtomicInteger();
            List<LoopHandle> handles = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                handles.add(loop.callLater(Duration.ofMillis(200), fired::incrementAndGet));
            }
            CompletableFuture<Integer> after = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(400), () -> after.complete(core.timers().held()));
            TestLoops.sync(loop);
            // under half the heap: no purge, they stay until due (one that fired first is not cancelled)
            long cancelled = handles.subList(0, 10).stream().filter(LoopHandle::cancel).count();

            assertThat(after.get(10, TimeUnit.SECONDS)).as("the due garbage left the heap without firing").isZero();
            assertThat(fired.get()).as("all but the cancelled").isEqualTo(100 - cancelled);
            assertThat(core.pendingTimers()).isZero();
        }
    }

    @Test
    void timersDueAtOnceAndCancelledFromAnotherThreadLeaveTheCountExact() throws Exception {
        try (EventThread group = TestLoops.started("quiet-exact", 1)) {
            EventLoop loop = group.next();
            LoopCore core = ((DefaultEventLoop) loop).core;
            int cancelled = 0;
            for (int i = 0; i < 20_000; i++) { // each cancel races the loop inserting, dropping or firing it
                cancelled += loop.callLater(Duration.ZERO, () -> { }).cancel() ? 1 : 0;
            }
            loop.callLater(Duration.ofMinutes(10), () -> { });
            TestLoops.sync(loop);

            assertThat(loop.submit(core::pendingTimers).get(10, TimeUnit.SECONDS))
                    .as("the one live timer, after %d cancels", cancelled).isEqualTo(1);
        }
    }

    @Test
    void cancelledTimersLeftInTheHeapAreNotCountedAgainByTheShutdown() throws Exception {
        EventThread group = TestLoops.builder("quiet-shutdown").timerShutdownPolicy(io.eventthread.TimerShutdownPolicy.CANCEL)
                .build().start();
        EventLoop loop = group.next();
        LoopCore core = ((DefaultEventLoop) loop).core;
        List<LoopHandle> handles = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            handles.add(loop.callLater(Duration.ofMinutes(10), () -> { }));
        }
        TestLoops.sync(loop);
        handles.get(0).cancel(); // one in ten: under half the heap, it stays as garbage
        assertThat(core.timers().held()).isEqualTo(10);

        io.eventthread.ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        assertThat(report.timersCancelled()).as("the nine live ones, by the policy").isEqualTo(9);
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

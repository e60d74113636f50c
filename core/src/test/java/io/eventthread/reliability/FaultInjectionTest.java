package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopStats;
import io.eventthread.ShutdownReport.Outcome;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults injected through callbacks and settings. Each test states the defined outcome in its
 * name and checks it, including the {@link ShutdownReport} where a shutdown is involved.
 */
@Timeout(60)
class FaultInjectionTest {

    @Test
    void throwingCallbacksReachTheHandlerAndTheLoopKeepsServing() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        EventThread group = Loops.builder("throws").uncaughtExceptionHandler((t, e) -> handled.add(e)).build().start();
        try {
            EventLoop loop = group.next();
            loop.execute(() -> {
                throw new IllegalStateException("runtime");
            });
            loop.execute(() -> {
                throw new AssertionError("error");
            });
            loop.execute(FaultInjectionTest::recurseForever);
            loop.callSoon(() -> {
                throw new IllegalArgumentException("handle");
            });
            LoopFuture<Object> withFuture = loop.submit(() -> {
                throw new InternalError("error with a future");
            });

            assertThat(loop.submit(() -> "still serving").get(10, TimeUnit.SECONDS)).isEqualTo("still serving");
            // the future carries its Error, and the doc says Errors also reach the handler
            assertThatThrownBy(withFuture::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InternalError.class);
            assertThat(Loops.eventually(() -> handled.size() >= 5)).as("handled: %s", handled).isTrue();
            assertThat(handled).hasExactlyElementsOfTypes(IllegalStateException.class, AssertionError.class,
                    StackOverflowError.class, IllegalArgumentException.class, InternalError.class);
            assertThat(loop.stats().tasksFailed()).isEqualTo(5);
            ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    private static int recurseForever() {
        return recurseForever() + 1;
    }

    @Test
    void callbacksThatInterruptTheLoopThreadDoNotStopItAndTimersStillFire() throws Exception {
        EventThread group = Loops.builder("interrupt").build().start();
        try {
            EventLoop loop = group.next();
            for (int round = 0; round < 20; round++) {
                loop.execute(() -> Thread.currentThread().interrupt());
                // the loop now goes idle with its interrupt flag set: the timer must still be
                // waited for and fired, neither lost nor turned into a busy spin that never parks
                CountDownLatch fired = new CountDownLatch(1);
                long scheduledAt = loop.time();
                AtomicLong firedAt = new AtomicLong();
                loop.callLater(Duration.ofMillis(20), () -> {
                    firedAt.set(loop.time());
                    fired.countDown();
                });
                Loops.await(fired);
                assertThat(firedAt.get() - scheduledAt).as("never early").isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            }
            assertThat(loop.submit(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).outcome())
                    .isEqualTo(Outcome.GRACEFUL);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    @Test
    void callbackBlockingPastTheStuckThresholdIsFlaggedOnceThenCleared() throws Exception {
        EventThread group = Loops.builder("stuck").stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(20)).build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> Loops.await(release));
            // held until the watchdog has counted the incident: a callback released the moment
            // stats() first says stuck may never be counted (StuckStatsAndLeakedInterrupts, below)
            assertThat(Loops.eventually(() -> loop.stats().stuck() && loop.stats().stuckIncidents() == 1))
                    .as("flagged stuck: %s", loop.stats()).isTrue();
            release.countDown();
            Loops.sync(loop);
            assertThat(Loops.eventually(() -> !loop.stats().stuck())).as("stuck cleared after return").isTrue();
            assertThat(loop.stats().stuckIncidents()).isEqualTo(1);
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).outcome())
                    .isEqualTo(Outcome.GRACEFUL);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    @Test
    void callbackThatNeverReturnsIsForcedWithinTheTimeoutPlusGraceAndQueuedFuturesAreCancelled() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        EventThread group = Loops.builder("forced").stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(20)).build().start();
        EventLoop loop = group.next();
        CountDownLatch entered = new CountDownLatch(1);
        try {
            loop.execute(EventLoop.labeled("ignores interrupts", () -> {
                entered.countDown();
                while (!release.get()) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException ignored) {
                        // deliberately swallowed: this callback refuses to stop
                    }
                }
            }));
            Loops.await(entered);
            List<LoopFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                queued.add(loop.submit(() -> n));
            }
            LoopHandle timer = loop.callLater(Duration.ofMillis(1), () -> { });
            Duration timeout = Duration.ofMillis(300);
            long start = System.nanoTime();
            ShutdownReport report = group.shutdownGracefully(timeout).get(20, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(report.outcome()).isEqualTo(Outcome.FORCED);
            // timeout + 200 ms grace + slack for a loaded machine (the watchdog may look twice)
            assertThat(took).isLessThan(timeout.plusMillis(200).plusSeconds(3));
            assertThat(report.stuckLoops()).containsOnlyKeys(loop.name());
            assertThat(report.stuckLoops().get(loop.name()))
                    .anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(FaultInjectionTest.class.getName()));
            assertThat(queued).allSatisfy(f -> assertThat(f).isCancelled());
            assertThat(timer.isCancelled()).isTrue();
            assertThat(report.tasksCancelled()).isGreaterThanOrEqualTo(queued.size());
            assertThat(group.isTerminated()).isTrue();
            assertThatThrownBy(() -> loop.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        } finally {
            release.set(true); // let the thread return so the JVM can exit
        }
    }

    @Test
    void aForcedLoopThreadThatReturnsLaterRunsNothingMoreAndReportsItsPlainTasks() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        EventThread group = Loops.builder("forced-returns").build().start();
        EventLoop loop = group.next();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                entered.countDown();
                try {
                    while (!release.get()) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException ignored) {
                            // refuses to stop until released
                        }
                    }
                } finally {
                    returned.countDown();
                }
            });
            Loops.await(entered);
            AtomicInteger ranAfterForce = new AtomicInteger();
            List<Runnable> plain = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Runnable r = ranAfterForce::incrementAndGet;
                plain.add(r);
                loop.execute(r);
            }
            LoopFuture<Integer> queued = loop.submit(() -> ranAfterForce.incrementAndGet());
            ShutdownReport report = group.shutdownGracefully(Duration.ofMillis(100)).get(20, TimeUnit.SECONDS);
            assertThat(report.outcome()).isEqualTo(Outcome.FORCED);
            assertThat(queued).isCancelled();

            release.set(true);
            Loops.await(returned);
            // the thread returns, sees TERMINATED, and sweeps: plain tasks are reported, none runs
            assertThat(Loops.eventually(() -> !threadAlive(loop))).as("loop thread exits").isTrue();
            assertThat(ranAfterForce.get()).isZero();
            assertThat(group.shutdownNow()).containsExactlyInAnyOrderElementsOf(plain);
        } finally {
            release.set(true);
        }
    }

    private static boolean threadAlive(EventLoop loop) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(loop.name()) && t.isAlive());
    }

    @Test
    void aHandlerThatThrowsIsIgnoredAndTheLoopKeepsServing() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        EventThread group = Loops.builder("bad-handler").uncaughtExceptionHandler((t, e) -> {
            handled.incrementAndGet();
            throw new IllegalStateException("the handler itself fails");
        }).build().start();
        try {
            EventLoop loop = group.next();
            for (int i = 0; i < 3; i++) {
                loop.execute(() -> {
                    throw new IllegalArgumentException("task fails");
                });
            }
            assertThat(loop.submit(() -> "serving").get(10, TimeUnit.SECONDS)).isEqualTo("serving");
            assertThat(handled.get()).isEqualTo(3);
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).outcome())
                    .isEqualTo(Outcome.GRACEFUL);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    @Test
    void saturatedBlockingPoolFailsExtraWorkWithAClearRejection() throws Exception {
        EventThread group = Loops.builder("saturated").blockingMaxThreads(1).blockingQueueCapacity(1).build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            LoopFuture<String> first = loop.runBlocking(() -> {
                running.countDown();
                Loops.await(release);
                return "first";
            });
            Loops.await(running); // the one thread is busy; the next task fills the queue of one
            LoopFuture<String> second = loop.runBlocking(() -> "second");
            List<LoopFuture<String>> extra = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                extra.add(loop.runBlocking(() -> "extra"));
            }
            for (LoopFuture<String> f : extra) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(RejectedExecutionException.class)
                        .hasMessageContaining("saturated").hasMessageContaining("blockingMaxThreads");
            }
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("second");
            assertThat(group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).outcome())
                    .isEqualTo(Outcome.GRACEFUL);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    @Test
    void boundedQueueAtCapacityRejectsCountsAndRunsEveryAcceptedTask() throws Exception {
        int capacity = 64;
        int producers = 4;
        EventThread group = Loops.builder("bounded").queueCapacity(capacity).build().start();
        try {
            EventLoop loop = group.next();
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            // phase 1: the loop is held, so the producers run into the bound
            CountDownLatch gate = new CountDownLatch(1);
            loop.execute(() -> Loops.await(gate));
            produce(loop, producers, 2_000, ran, accepted, rejected);
            // "concurrent producers may overshoot it by at most their number"
            assertThat(accepted.get()).isBetween(capacity - 1, capacity + producers);
            gate.countDown();
            // phase 2: the loop drains while they produce
            produce(loop, producers, 20_000, ran, accepted, rejected);
            // no sync(): a submission of our own could meet a full queue and be rejected too
            assertThat(Loops.eventually(() -> ran.get() == accepted.get()))
                    .as("ran %d of %d accepted", ran.get(), accepted.get()).isTrue();
            assertThat(rejected.get()).isPositive();
            assertThat(loop.stats().tasksRejected()).isEqualTo(rejected.get());
        } finally {
            Loops.closeQuietly(group);
        }
    }

    private static void produce(EventLoop loop, int producers, int each, AtomicInteger ran, AtomicInteger accepted,
            AtomicInteger rejected) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            done.add(CompletableFuture.runAsync(() -> {
                Loops.await(start);
                for (int i = 0; i < each; i++) {
                    try {
                        loop.execute(ran::incrementAndGet);
                        accepted.incrementAndGet();
                    } catch (RejectedExecutionException e) {
                        rejected.incrementAndGet();
                    }
                }
            }, runnable -> new Thread(runnable, "producer").start()));
        }
        start.countDown();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void timersAtZeroFireAndTimersAtTheFarEndNeverFireAndAreCancelledAtShutdown() throws Exception {
        EventThread group = Loops.builder("extremes").build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch prompt = new CountDownLatch(3);
            loop.callLater(Duration.ZERO, prompt::countDown);
            loop.callLater(Duration.ofNanos(-1), prompt::countDown);
            loop.callAt(loop.time(), prompt::countDown);
            AtomicInteger farFired = new AtomicInteger();
            List<LoopHandle> far = List.of(
                    loop.callLater(Duration.ofNanos(Long.MAX_VALUE), farFired::incrementAndGet),
                    loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), farFired::incrementAndGet),
                    loop.callAt(Long.MAX_VALUE, farFired::incrementAndGet));
            assertThat(prompt.await(5, TimeUnit.SECONDS)).as("zero-delay timers fired promptly").isTrue();
            Loops.sync(loop);
            assertThat(loop.stats().pendingTimers()).isEqualTo(far.size());
            ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(farFired.get()).isZero();
            assertThat(far).allSatisfy(h -> assertThat(h.isCancelled()).isTrue());
            assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
            assertThat(report.timersCancelled()).isEqualTo(far.size());
        } finally {
            Loops.closeQuietly(group);
        }
    }

    @Test
    void shutdownNowInTheMiddleOfADrainReturnsTheNeverStartedTasksAndCancelsFutures() throws Exception {
        EventThread group = Loops.builder("now").build().start();
        try {
            EventLoop loop = group.next();
            Set<Runnable> ranPlain = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Runnable> plain = new ArrayList<>();
            List<LoopFuture<?>> futures = new ArrayList<>();
            CountDownLatch midDrain = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            for (int i = 0; i < 100; i++) {
                Runnable r = new Runnable() {
                    @Override
                    public void run() {
                        ranPlain.add(this);
                    }
                };
                plain.add(r);
                loop.execute(r);
                futures.add(loop.submit(() -> { }));
                if (i == 30) {
                    // the loop blocks here, mid-drain, until the shutdown's interrupt
                    loop.execute(() -> {
                        midDrain.countDown();
                        Loops.awaitInterruptibly(never);
                    });
                }
            }
            Loops.await(midDrain);
            List<Runnable> neverStarted = group.shutdownNow();
            ShutdownReport report = group.terminationFuture().get(10, TimeUnit.SECONDS);

            assertThat(report.outcome()).isEqualTo(Outcome.CANCELLED);
            Set<Runnable> expectedNever = new HashSet<>(plain);
            expectedNever.removeAll(ranPlain);
            assertThat(ranPlain).hasSize(31);
            assertThat(new HashSet<>(neverStarted)).isEqualTo(expectedNever);
            assertThat(neverStarted).hasSize(expectedNever.size());
            assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
            long cancelledFutures = futures.stream().filter(CompletableFuture::isCancelled).count();
            assertThat(cancelledFutures).isEqualTo(futures.size() - 31);
            assertThat(report.tasksCancelled()).isEqualTo(cancelledFutures + expectedNever.size());
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * Faults that exposed engine defects (see the reliability report): a stuck episode the stats
     * showed was not counted; an interrupt left by one callback leaked into the next.
     */
    @Timeout(60)
    @Nested
    class StuckStatsAndLeakedInterrupts {

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
}

package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Graceful shutdown: its three outcomes, the ExecutorService contract, the {@code onShutdown}
 * callbacks (nested), and a shutdown that reads time only from the loop clock (nested).
 */
@Timeout(30)
class ShutdownTest {

    @Test
    void queuedTasksFinishAndTheOutcomeIsGraceful() throws Exception {
        EventThread group = TestLoops.started("drain", 1);
        EventLoop loop = group.next();
        CountDownLatch gate = new CountDownLatch(1);
        loop.execute(() -> await(gate));
        List<LoopFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            queued.add(loop.submit(() -> n));
        }
        CompletableFuture<ShutdownReport> stopping = group.shutdownGracefully(Duration.ofSeconds(5));
        assertThat(loop.state()).isEqualTo(LoopState.SHUTTING_DOWN);
        gate.countDown();
        ShutdownReport report = stopping.get(10, TimeUnit.SECONDS);
        assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
        assertThat(report.tasksCancelled()).isZero();
        assertThat(report.tasksRunDuringDrain()).isGreaterThanOrEqualTo(100);
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(queued.get(99).get()).isEqualTo(99);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(group.isTerminated()).isTrue();
    }

    @Test
    void outsideSubmissionsAreRejectedOnceShutdownBeginsNamingLoopAndState() throws Exception {
        EventThread group = TestLoops.started("reject", 1);
        EventLoop loop = group.next();
        CountDownLatch gate = new CountDownLatch(1);
        loop.execute(() -> await(gate));
        group.shutdownGracefully(Duration.ofSeconds(5));
        Runnable labeled = EventLoop.labeled("settle auction 7", () -> { });
        assertThatThrownBy(() -> loop.execute(labeled)).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("Event loop 'reject-1' rejected settle auction 7: it is shutting down");
        assertThatThrownBy(() -> loop.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("reject-1").hasMessageContaining("it is shutting down");
        assertThatThrownBy(() -> loop.runBlocking(() -> 1)).hasMessageContaining("it is shutting down");
        gate.countDown();
        group.terminationFuture().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> loop.callSoon(() -> { })).hasMessageContaining("it has terminated");
        assertThat(loop.stats().tasksRejected()).isEqualTo(4);
    }

    @Test
    void idleLoopWithATimerAnHourOutStopsAtOnce() throws Exception {
        EventThread group = TestLoops.started("idle", 2);
        LoopHandle hourly = group.next().callLater(Duration.ofHours(1), () -> { });
        ScheduledFuture<?> periodic = group.next().asExecutorService().scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        TestLoops.sync(group.loops().get(0));
        TestLoops.sync(group.loops().get(1));
        long start = System.nanoTime();
        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(10)).get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
        assertThat(report.timersCancelled()).isEqualTo(2);
        assertThat(hourly.isCancelled()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
    }

    @Test
    void runBeforeDeadlinePolicyLetsDueTimersFire() throws Exception {
        EventThread group = TestLoops.builder("policy").timerShutdownPolicy(TimerShutdownPolicy.RUN_BEFORE_DEADLINE).build().start();
        EventLoop loop = group.next();
        CountDownLatch fired = new CountDownLatch(1);
        loop.callLater(Duration.ofMillis(100), fired::countDown);
        LoopHandle tooLate = loop.callLater(Duration.ofHours(1), () -> { });
        TestLoops.sync(loop);
        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(fired.getCount()).isZero();
        assertThat(tooLate.isCancelled()).isTrue();
        assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
    }

    @Test
    void inFlightAsyncWorkAndItsSleepsAndLoopSubmissionsFinishDuringTheDrain() throws Exception {
        EventThread group = TestLoops.started("inflight", 1);
        EventLoop loop = group.next();
        CountDownLatch started = new CountDownLatch(1);
        LoopFuture<String> work = loop.submitAsync(() -> {
            started.countDown();
            return loop.sleep(Duration.ofMillis(150))
                    .thenCompose(v -> loop.submit(() -> "submitted from the loop"))
                    .thenCompose(v -> loop.runBlocking(() -> v + ", then blocking"));
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(work.get()).isEqualTo("submitted from the loop, then blocking");
        assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
    }

    @Test
    void pendingWorkIsCancelledAtTheDeadline() throws Exception {
        EventThread group = TestLoops.started("deadline", 1);
        EventLoop loop = group.next();
        CompletableFuture<String> never = new CompletableFuture<>();
        LoopFuture<String> async = loop.submitAsync(() -> never);
        LoopFuture<Void> sleeping = loop.sleep(Duration.ofHours(1));
        LoopFuture<Object> promise = loop.newFuture();
        TestLoops.sync(loop);
        long start = System.nanoTime();
        ShutdownReport report = group.shutdownGracefully(Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);
        long took = System.nanoTime() - start;
        assertThat(report.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(190)).isLessThan(Duration.ofSeconds(2));
        assertThat(async.isCancelled()).isTrue();
        assertThat(never.isCancelled()).as("the stage behind submitAsync").isTrue();
        assertThat(sleeping.isCancelled()).isTrue();
        assertThat(promise.isCancelled()).isTrue();
        assertThat(report.tasksCancelled()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void callbackThatIgnoresInterruptsIsForcedAndLeftBehind() throws Exception {
        EventThread group = TestLoops.started("forced", 1);
        EventLoop loop = group.next();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LoopFuture<Object> stuck = loop.submit(() -> {
            inside.countDown();
            spinIgnoringInterrupts(release);
            return null;
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        LoopFuture<Integer> queued = loop.submit(() -> 1);
        ScheduledFuture<?> timer = loop.asExecutorService().schedule(() -> { }, 1, TimeUnit.HOURS);
        Duration timeout = Duration.ofMillis(100);
        Duration promised = timeout.plus(EventThread.Builder.DEFAULT_FORCE_GRACE);
        ShutdownReport report;
        Duration lateness;
        try (WakeUpLateness machine = new WakeUpLateness()) {
            report = group.shutdownGracefully(timeout).get(10, TimeUnit.SECONDS);
            lateness = machine.worst();
        } finally {
            release.countDown();
        }
        // The report's duration is the loop clock's, from the request to the force. The promise is
        // kept by the watchdog's timed wake-ups (the deadline, the grace, the terminator's hand-off),
        // each as late as the machine schedules a thread: so the bound allows three times the worst
        // lateness a thread of ours saw meanwhile (about 1 ms on a quiet machine), not a fixed guess.
        assertThat(report.duration()).as("timeout + grace, on a machine whose wake-ups were up to %s late", lateness)
                .isGreaterThanOrEqualTo(promised)
                .isLessThan(promised.plus(lateness.multipliedBy(3)).plusMillis(100));
        assertThat(report.outcome()).isEqualTo(Outcome.FORCED);
        assertThat(report.stuckLoops()).containsKey("forced-1");
        assertThat(report.stuckLoops().get("forced-1")).extracting(StackTraceElement::getMethodName)
                .contains("spinIgnoringInterrupts");
        assertThat(queued.isCancelled()).isTrue();
        assertThat(stuck.isCancelled()).as("the stuck callback's own future").isTrue();
        assertThat(timer.isDone()).isTrue();
        assertThat(group.isTerminated()).isTrue();
    }

    @Test
    void callbackThatHonoursTheInterruptEndsTheShutdownAsCancelledNotForced() throws Exception {
        EventThread group = TestLoops.started("interrupted", 1);
        EventLoop loop = group.next();
        CountDownLatch inside = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        loop.execute(() -> {
            inside.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        LoopFuture<Integer> queued = loop.submit(() -> 1);
        ShutdownReport report = group.shutdownGracefully(Duration.ofMillis(100)).get(5, TimeUnit.SECONDS);
        assertThat(interrupted).hasValue(1);
        assertThat(report.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(queued.isCancelled()).isTrue();
    }

    @Test
    void concurrentShutdownCallsShareOneResult() throws Exception {
        EventThread group = TestLoops.started("concurrent", 2);
        List<CompletableFuture<ShutdownReport>> calls = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            CompletableFuture<ShutdownReport> call = new CompletableFuture<>();
            calls.add(call);
            Thread t = new Thread(() -> {
                await(go);
                group.shutdownGracefully(Duration.ofSeconds(1)).whenComplete((r, e) -> call.complete(r));
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        ShutdownReport first = calls.get(0).get(5, TimeUnit.SECONDS);
        for (CompletableFuture<ShutdownReport> call : calls) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(group.terminationFuture().get()).isSameAs(first);
    }

    @Test
    void shutdownFromALoopThreadDoesNotDeadlockButCloseRefuses() throws Exception {
        EventThread group = TestLoops.started("from-loop", 1);
        EventLoop loop = group.next();
        Throwable closeOnLoop = loop.submit(() -> org.assertj.core.api.Assertions.catchThrowable(group::close)).get();
        assertThat(closeOnLoop).isInstanceOf(IllegalStateException.class).hasMessageContaining("shutdownGracefully()");
        CompletableFuture<ShutdownReport> fromLoop = loop.submit(() -> group.shutdownGracefully(Duration.ofSeconds(1))).get();
        assertThat(fromLoop.get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.GRACEFUL);
    }

    @Test
    void doneCallbacksFireOnTerminationAndRightAwayAfterIt() throws Exception {
        EventThread group = TestLoops.started("callbacks", 1);
        CompletableFuture<ShutdownReport> before = new CompletableFuture<>();
        group.onTermination(before::complete);
        group.close();
        assertThat(before).isDone();
        CompletableFuture<ShutdownReport> after = new CompletableFuture<>();
        group.onTermination(after::complete);
        assertThat(after.getNow(null)).isSameAs(before.get());
    }

    @Test
    void executorServiceContractHolds() throws Exception {
        EventThread group = TestLoops.started("contract", 1);
        EventLoop loop = group.next();
        assertThat(group.isShutdown()).isFalse();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            inside.countDown();
            await(release);
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        Runnable neverRuns = () -> { };
        loop.execute(neverRuns);
        LoopFuture<Integer> neverRunsEither = loop.submit(() -> 2);
        group.shutdownGracefully();
        assertThat(group.isShutdown()).isTrue();
        assertThat(loop.state()).isIn(LoopState.SHUTTING_DOWN, LoopState.TERMINATED);
        assertThat(group.awaitTermination(Duration.ofMillis(50))).isFalse();
        List<Runnable> notStarted = new ArrayList<>();
        Thread releaser = new Thread(() -> {
            sleepQuietly(100);
            release.countDown();
        });
        releaser.start();
        notStarted.addAll(group.shutdownNow()); // shutdown already begun: shares its result
        assertThat(group.awaitTermination(Duration.ofSeconds(15))).isTrue();
        assertThat(group.isTerminated()).isTrue();
        assertThat(neverRunsEither).isDone();
    }

    @Test
    void shutdownNowCancelsQueuedWorkAndReturnsPlainRunnables() throws Exception {
        EventThread group = TestLoops.started("now", 1);
        EventLoop loop = group.next();
        CountDownLatch inside = new CountDownLatch(1);
        loop.execute(() -> {
            inside.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        Runnable plain = () -> { };
        loop.execute(plain);
        LoopFuture<Integer> future = loop.submit(() -> 1);
        List<Runnable> never = group.shutdownNow();
        assertThat(never).containsExactly(plain);
        assertThat(future.isCancelled()).isTrue();
        assertThat(group.terminationFuture().get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void neverStartedGroupShutsDownAtOnce() throws Exception {
        EventThread group = TestLoops.builder("never").loopCount(2).build();
        LoopFuture<String> promise = group.next().newFuture();
        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
        assertThat(report.outcome()).isEqualTo(Outcome.GRACEFUL);
        assertThat(promise.isCancelled()).isTrue();
        assertThat(group.loops()).allSatisfy(l -> assertThat(l.state()).isEqualTo(LoopState.TERMINATED));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spinIgnoringInterrupts(CountDownLatch release) {
        while (release.getCount() > 0) {
            Thread.onSpinWait();
        }
    }

    /** The worst lateness of a short timed wake-up of a thread of ours while it is open: the machine's scheduling noise. */
    static final class WakeUpLateness implements AutoCloseable {
        private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(5);
        private final AtomicLong worst = new AtomicLong();
        private volatile boolean closed;
        private final Thread thread = new Thread(() -> {
            while (!closed) {
                long before = System.nanoTime();
                java.util.concurrent.locks.LockSupport.parkNanos(PERIOD);
                worst.accumulateAndGet(System.nanoTime() - before - PERIOD, Math::max);
            }
        }, "wake-up-lateness");

        WakeUpLateness() {
            thread.setDaemon(true);
            thread.start();
        }

        Duration worst() {
            return Duration.ofNanos(worst.get());
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(5_000);
        }
    }

    /** Callbacks at the start of a graceful shutdown: on the loop, before the timer policy, waited for. */
    @Timeout(20)
    @Nested
    class OnShutdownCallbacks {

        @Test
        void runsOnTheLoopBeforeTimersAreCancelledAndItsWorkIsWaitedFor() throws Exception {
            List<Throwable> handled = new CopyOnWriteArrayList<>();
            EventThread group = TestLoops.builder("on-shutdown").uncaughtExceptionHandler((t, e) -> handled.add(e)).build().start();
            EventLoop loop = group.next();
            LoopHandle hourly = loop.callLater(Duration.ofHours(1), () -> { });
            List<String> seen = new CopyOnWriteArrayList<>();
            LoopFuture<String> settled = loop.newFuture();
            loop.onShutdown(() -> {
                seen.add(Thread.currentThread().getName() + " timer cancelled yet: " + hourly.isCancelled());
                // final work started here is part of the drain
                loop.runBlocking(() -> "settled").thenAccept(settled::complete);
            });
            loop.onShutdown(() -> {
                throw new IllegalStateException("callback failed");
            });
            LoopHandle deregistered = loop.onShutdown(() -> seen.add("must not run"));
            assertThat(deregistered.cancel()).isTrue();
            TestLoops.sync(loop);

            // The deadline is not under test: the callbacks it cuts off never run (by design), so a
            // machine that held the loop past a short one would skip the failing callback.
            ShutdownReport report = group.shutdownGracefully(Duration.ofMinutes(1)).get(15, TimeUnit.SECONDS);

            assertThat(seen).containsExactly("on-shutdown-1 timer cancelled yet: false");
            assertThat(settled.getNow(null)).isEqualTo("settled");
            assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
            assertThat(hourly.isCancelled()).isTrue();
            assertThat(handled).as("the failing callback reached the handler; the shutdown took %s", report.duration())
                    .extracting(Throwable::getMessage).containsExactly("callback failed");
        }

        @Test
        void registeredAfterTheShutdownBeganRunsSoonAndAfterTerminationNever() throws Exception {
            EventThread group = TestLoops.started("late", 1);
            EventLoop loop = group.next();
            LoopFuture<String> late = loop.newFuture();
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loop.submitAsync(() -> late); // keeps the drain open until the late callback completes it
            java.util.concurrent.CountDownLatch earlyRan = new java.util.concurrent.CountDownLatch(1);
            loop.onShutdown(earlyRan::countDown);
            var stopping = group.shutdownGracefully(Duration.ofSeconds(5));
            release.countDown();
            assertThat(earlyRan.await(5, TimeUnit.SECONDS)).isTrue();
            loop.onShutdown(() -> late.complete(Thread.currentThread().getName()));
            assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo("late-1");
            stopping.get(10, TimeUnit.SECONDS);
            LoopHandle afterwards = loop.onShutdown(() -> { });
            assertThat(afterwards.isCancelled()).isTrue();
        }
    }

    /**
     * A shutdown reads time only from the injected clock: its deadline passes when the loop clock
     * says so, whatever the wall clock did, and its report measures loop time.
     */
    @Timeout(30)
    @Nested
    class OnTheLoopClock {

        @Test
        void theDeadlinePassesOnTheLoopClockNotTheWallClock() throws Exception {
            AtomicLong now = new AtomicLong(0);
            try (EventThread group = TestLoops.builder("fake-clock").clock(now::get).idleSpin(Duration.ZERO)
                    .shutdownTimeout(Duration.ofSeconds(1)).build().start()) {
                EventLoop loop = group.next();
                CompletableFuture<String> never = new CompletableFuture<>();
                CompletableFuture<String> later = new CompletableFuture<>();
                LoopFuture<String> stuckWork = loop.submitAsync(() -> never);
                LoopFuture<String> nudge = loop.submitAsync(() -> later);
                TestLoops.sync(loop);

                long wallStart = System.nanoTime();
                CompletableFuture<ShutdownReport> done = group.shutdownGracefully(Duration.ofHours(1));
                TestLoops.awaitParked(loop);
                assertThat(done).as("an hour of loop time has not passed").isNotDone();

                now.addAndGet(Duration.ofHours(1).plusSeconds(1).toNanos());
                later.complete("nudge"); // a completion wakes the loop, which now sees the deadline behind it
                ShutdownReport report = done.get(10, TimeUnit.SECONDS);

                assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.CANCELLED);
                assertThat(report.duration()).as("loop time").isEqualTo(Duration.ofHours(1).plusSeconds(1));
                assertThat(report.tasksCancelled()).isEqualTo(1);
                assertThat(stuckWork).isCancelled();
                assertThat(nudge.getNow(null)).isEqualTo("nudge");
                assertThat(System.nanoTime() - wallStart).as("wall time").isLessThan(Duration.ofSeconds(10).toNanos());
            }
        }

        @Test
        void theForceGraceIsASetting() throws Exception {
            try (EventThread group = TestLoops.builder("grace").forceGrace(Duration.ofMillis(50)).build().start()) {
                assertThat(group.forceGrace()).isEqualTo(Duration.ofMillis(50));
                assertThat(TestLoops.builder("default").build().forceGrace()).isEqualTo(EventThread.Builder.DEFAULT_FORCE_GRACE);

                java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
                group.next().execute(() -> {
                    inside.countDown();
                    while (release.getCount() > 0) {
                        Thread.onSpinWait(); // deaf to interrupts: only the force ends the shutdown
                    }
                });
                assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
                try {
                    ShutdownReport report = group.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
                    assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.FORCED);
                    assertThat(report.stuckLoops()).containsKey("grace-1");
                } finally {
                    release.countDown();
                }
            }
        }

        @Test
        void aNegativeForceGraceIsRefusedWithItsRange() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventThread.builder().forceGrace(Duration.ofMillis(-1)).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("forceGrace: PT-0.001S (expected: >= 0)");
        }
    }
}

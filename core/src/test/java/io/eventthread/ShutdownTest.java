package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Semantics 4: graceful shutdown, its three outcomes, and the ExecutorService contract. */
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
        long start = System.nanoTime();
        ShutdownReport report;
        try {
            report = group.shutdownGracefully(Duration.ofMillis(100)).get(5, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("timeout + grace")
                .isLessThan(Duration.ofMillis(100).plus(EventThread.Builder.DEFAULT_FORCE_GRACE).plusMillis(700));
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
}

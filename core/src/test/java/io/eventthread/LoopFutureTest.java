package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LoopFuture: continuations on the loop, blocking waits refused on the loop, plain-thread await. */
@Timeout(20)
class LoopFutureTest {

    private final EventThread group = TestLoops.started("future", 2);
    private final EventLoop loop = group.loops().get(0);

    @AfterEach
    void close() {
        group.close();
    }

    @Test
    void asyncContinuationsWithoutExecutorRunOnTheLoop() throws Exception {
        LoopFuture<String> f = loop.newFuture();
        CompletableFuture<String> thread = f.thenApplyAsync(v -> Thread.currentThread().getName());
        assertThat(thread).isInstanceOf(LoopFuture.class);
        f.complete("x");
        assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("future-1");
    }

    @Test
    void blockingWaitsOnTheOwnLoopThreadFailFast() throws Exception {
        LoopFuture<String> never = loop.newFuture();
        Throwable fromGet = loop.submit(() -> catchThrowable(never::get)).get();
        Throwable fromJoin = loop.submit(() -> catchThrowable(never::join)).get();
        Throwable fromAwait = loop.submit(() -> catchThrowable(() -> never.await(Duration.ofSeconds(1)))).get();
        for (Throwable t : new Throwable[] {fromGet, fromJoin, fromAwait}) {
            assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("would deadlock")
                    .hasMessageContaining("future-1").hasMessageContaining("thenCompose");
        }
    }

    @Test
    void waitingOnADoneFutureOnTheLoopIsFine() throws Exception {
        assertThat(loop.submit(() -> {
            LoopFuture<String> done = loop.newFuture();
            done.complete("ready");
            return done.get();
        }).get()).isEqualTo("ready");
    }

    @Test
    void awaitTimesOutAndReportsFailuresUnchecked() {
        LoopFuture<String> never = loop.newFuture();
        assertThatThrownBy(() -> never.await(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
        LoopFuture<String> failed = loop.submit(() -> {
            throw new IllegalStateException("bad");
        });
        assertThat(catchThrowable(() -> failed.await(TestLoops.WAIT))).isInstanceOf(java.util.concurrent.CompletionException.class)
                .hasRootCauseMessage("bad");
        LoopFuture<String> cancelled = loop.newFuture();
        cancelled.cancel(false);
        assertThatThrownBy(() -> cancelled.await(TestLoops.WAIT)).isInstanceOf(CancellationException.class);
    }

    @Test
    void runBlockingRunsOffTheLoopAndCompletesOnIt() throws Exception {
        String[] threads = new String[2];
        CountDownLatch attached = new CountDownLatch(1);
        LoopFuture<Integer> work = loop.runBlocking(() -> {
            threads[0] = Thread.currentThread().getName();
            attached.await(5, TimeUnit.SECONDS);
            return 1;
        });
        CompletableFuture<Void> next = work.thenAccept(v -> threads[1] = Thread.currentThread().getName());
        attached.countDown();
        next.get(5, TimeUnit.SECONDS);
        assertThat(threads[0]).startsWith("future-blocking-");
        assertThat(threads[1]).isEqualTo("future-1");
    }

    @Test
    void cancellingRunBlockingInterruptsTheWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        LoopFuture<Object> f = loop.runBlocking(() -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.cancel(true)).isTrue();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void saturatedBlockingPoolFailsTheFutureWithAClearMessage() throws Exception {
        try (EventThread small = TestLoops.builder("small").blockingMaxThreads(1).blockingQueueCapacity(0).build().start()) {
            CountDownLatch release = new CountDownLatch(1);
            LoopFuture<Object> busy = small.next().runBlocking(() -> release.await(5, TimeUnit.SECONDS));
            LoopFuture<Object> rejected = small.next().runBlocking(() -> "never");
            assertThat(catchThrowable(() -> rejected.get(5, TimeUnit.SECONDS))).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                    .hasMessageContaining("saturated").hasMessageContaining("blockingMaxThreads");
            release.countDown();
            assertThat(busy.get(5, TimeUnit.SECONDS)).isEqualTo(true);
        }
    }

    @Test
    void submitAsyncMirrorsTheStageAndCompletesOnTheLoop() throws Exception {
        CompletableFuture<String> external = new CompletableFuture<>();
        LoopFuture<String> mirrored = loop.submitAsync(() -> external);
        CompletableFuture<String> where = mirrored.thenApply(v -> v + "@" + Thread.currentThread().getName());
        new Thread(() -> external.complete("done")).start();
        assertThat(where.get(5, TimeUnit.SECONDS)).isEqualTo("done@future-1");
    }

    @Test
    void cancellingSubmitAsyncCancelsTheStage() throws Exception {
        CompletableFuture<String> stage = new CompletableFuture<>();
        CountDownLatch supplied = new CountDownLatch(1);
        LoopFuture<String> f = loop.submitAsync(() -> {
            supplied.countDown();
            return stage;
        });
        assertThat(supplied.await(5, TimeUnit.SECONDS)).isTrue();
        TestLoops.sync(loop);
        assertThat(f.cancel(true)).isTrue();
        assertThat(stage.isCancelled()).isTrue();
    }

    @Test
    void timeoutFailsAndCancelsTheSlowStage() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        LoopFuture<String> bounded = loop.timeout(slow, Duration.ofMillis(30));
        assertThat(catchThrowable(() -> bounded.get(5, TimeUnit.SECONDS))).hasCauseInstanceOf(TimeoutException.class);
        assertThat(slow.isCancelled()).isTrue();
        LoopFuture<String> quick = loop.timeout(CompletableFuture.completedFuture("fast"), Duration.ofSeconds(5));
        assertThat(quick.get(5, TimeUnit.SECONDS)).isEqualTo("fast");
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).as("timer of the completed timeout released").isZero();
    }

    /**
     * A plain {@code thenApply} runs on the thread that completes the stage, or on the caller if
     * the stage is done already: the loop is held until the stage is chained, so the sleep (whose
     * timer only the loop fires) cannot have finished, however late this thread runs.
     */
    @Test
    void sleepCompletesAfterTheDelayOnTheLoop() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch chained = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                chained.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        CompletableFuture<String> thread;
        try {
            thread = loop.sleep(Duration.ofMillis(20)).thenApply(v -> Thread.currentThread().getName());
        } finally {
            chained.countDown();
        }
        thread.get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(thread.get()).isEqualTo("future-1");
    }
}

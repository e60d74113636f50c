package io.eventthread.autoconfigure;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventthread.EventThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EventThreadExecutor}: pause and resume as Spring's executors, without pausing
 * the loops, and nothing lost.
 */
@Timeout(30)
class EventThreadExecutorTests {

    private final EventThread group = EventThread.builder().threadNamePrefix("view").loopCount(2).build().start();

    private final EventThreadExecutor executor = new EventThreadExecutor(this.group);

    @AfterEach
    void shutDown() {
        this.group.shutdownNow();
    }

    @Test
    void pausedExecutorShouldAcceptAndHoldTasksUntilResumed() throws Exception {
        pause();
        CompletableFuture<String> ran = new CompletableFuture<>();
        this.executor.execute(() -> ran.complete(Thread.currentThread().getName()));
        java.util.concurrent.Future<String> submitted = this.executor.submit(() -> "submitted");
        ScheduledFuture<String> scheduled = this.executor.schedule(() -> "scheduled", 1, TimeUnit.MILLISECONDS);
        awaitDue(scheduled);
        // the loops are not paused: a round trip through every loop passes the held tasks
        roundTripThroughEveryLoop();
        roundTripThroughEveryLoop();
        assertThat(ran).isNotDone();
        assertThat(submitted).isNotDone();
        assertThat(scheduled.isDone()).isFalse();
        this.executor.resume();
        assertThat(ran.get(10, TimeUnit.SECONDS)).startsWith("view-");
        assertThat(submitted.get(10, TimeUnit.SECONDS)).isEqualTo("submitted");
        assertThat(scheduled.get(10, TimeUnit.SECONDS)).isEqualTo("scheduled");
    }

    @Test
    void pauseShouldCompleteOnceTheRunningTaskHasFinished() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        this.executor.execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> paused = new CompletableFuture<>();
        this.executor.pause(() -> paused.complete(null));
        assertThat(paused).as("waits for the running task").isNotDone();
        release.countDown();
        paused.get(10, TimeUnit.SECONDS);
    }

    @Test
    void periodicTaskDueSeveralTimesWhilePausedShouldRunOnceOnItsOwnLoopOnResume() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        ScheduledFuture<?> periodic = this.executor.scheduleAtFixedRate(() -> {
            threads.add(Thread.currentThread().getName());
            runs.incrementAndGet();
            first.countDown();
        }, 0, 5, TimeUnit.MILLISECONDS);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        pause();
        int before = runs.get();
        // let it come due many times: a timer on the group outlasting ten periods
        this.group.next().timeout(new CompletableFuture<>(), java.time.Duration.ofMillis(60)).handle((v, ex) -> null)
            .get(10, TimeUnit.SECONDS);
        assertThat(runs.get()).isEqualTo(before);
        CountDownLatch resumed = new CountDownLatch(1);
        this.executor.resume();
        this.group.loops().forEach((loop) -> loop.execute(resumed::countDown));
        assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
        periodic.cancel(false);
        assertThat(threads).as("one loop for every run").containsOnly(threads.get(0));
    }

    @Test
    void closingShouldRunHeldTasksAndHoldNothingMore() throws Exception {
        pause();
        CompletableFuture<String> held = new CompletableFuture<>();
        this.executor.execute(() -> held.complete("held"));
        roundTripThroughEveryLoop();
        assertThat(held).isNotDone();
        this.executor.closing();
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        pause();
        assertThat(this.executor.submit(() -> "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
    }

    @Test
    void heldTaskShouldBeCancelledWhenTheGroupTerminatesWithoutAClose() throws Exception {
        pause();
        java.util.concurrent.Future<String> held = this.executor.submit(() -> "never");
        roundTripThroughEveryLoop();
        this.group.shutdownGracefully().get(10, TimeUnit.SECONDS);
        assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> held.get(10, TimeUnit.SECONDS));
    }

    private void roundTripThroughEveryLoop() throws Exception {
        for (io.eventthread.EventLoop loop : this.group.loops()) {
            loop.submit(() -> null).get(10, TimeUnit.SECONDS);
        }
    }

    private void pause() throws Exception {
        CompletableFuture<Void> paused = new CompletableFuture<>();
        this.executor.pause(() -> paused.complete(null));
        paused.get(10, TimeUnit.SECONDS);
    }

    private static void awaitDue(ScheduledFuture<?> future) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (future.getDelay(TimeUnit.NANOSECONDS) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}

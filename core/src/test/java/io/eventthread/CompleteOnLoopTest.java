package io.eventthread;

import static io.eventthread.TestLoops.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LoopFuture#completeOnLoop} and {@link LoopFuture#completeExceptionallyOnLoop}: the one
 * way back to a loop, and its contract across the loop's life cycle.
 */
@Timeout(60)
class CompleteOnLoopTest {

    @Test
    void completedFromAnotherThreadItsPlainContinuationsRunOnTheLoop() throws Exception {
        try (EventThread group = TestLoops.started("col-run", 1)) {
            EventLoop loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LoopFuture<String> value = loop.newFuture();
            LoopFuture<Thread> valueSeenOn = value.thenApply(v -> Thread.currentThread());
            LoopFuture<String> failure = loop.newFuture();
            LoopFuture<Thread> failureSeenOn = failure.handle((v, t) -> Thread.currentThread());

            value.completeOnLoop("v");
            failure.completeExceptionallyOnLoop(new IllegalStateException("boom"));

            assertThat(value.await(WAIT)).isEqualTo("v");
            assertThat(valueSeenOn.await(WAIT)).isSameAs(loopThread);
            assertThat(failureSeenOn.await(WAIT)).isSameAs(loopThread);
            assertThatThrownBy(failure::join).hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("boom");
        }
    }

    @Test
    void onTheLoopThreadItCompletesAtOnce() throws Exception {
        try (EventThread group = TestLoops.started("col-on", 1)) {
            EventLoop loop = group.next();
            Boolean doneBeforeReturning = loop.submit(() -> {
                LoopFuture<String> f = loop.newFuture();
                f.completeOnLoop("now");
                return f.isDone() && f.join().equals("now");
            }).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(doneBeforeReturning).isTrue();
        }
    }

    @Test
    void duringAGracefulDrainItIsAcceptedAndNeverARejection() throws Exception {
        List<String> rejections = new CopyOnWriteArrayList<>();
        EventThread group = TestLoops.builder("col-drain").loopCount(1).listener(new EventLoopListener() {
            @Override
            public void rejected(EventLoop loop, String reason) {
                rejections.add(reason);
            }
        }).build().start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            EventLoop loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LoopFuture<String> f = loop.newFuture();
            LoopFuture<Thread> seenOn = f.thenApply(v -> Thread.currentThread());
            loop.runBlocking(() -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)); // holds the drain
            CompletableFuture<ShutdownReport> terminated = group.shutdownGracefully(Duration.ofSeconds(30));
            assertThat(loop.state()).isEqualTo(LoopState.SHUTTING_DOWN);

            f.completeOnLoop("drained");

            assertThat(seenOn.await(WAIT)).isSameAs(loopThread);
            release.countDown();
            terminated.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(f.join()).isEqualTo("drained");
            assertThat(loop.stats().tasksRejected()).isZero();
            assertThat(rejections).isEmpty();
        } finally {
            release.countDown();
            group.close();
        }
    }

    @Test
    void queuedWhenAnImmediateShutdownStopsTheLoopItCompletesWithItsValueAndIsNotHandedBack() throws Exception {
        // a long force grace: the interrupted callback returns in its own time however busy the
        // machine, so the loop is never forced (a forced loop answers with ClosedException instead)
        EventThread group = TestLoops.builder("col-now").loopCount(1).forceGrace(Duration.ofSeconds(30)).build().start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            EventLoop loop = group.next();
            CountDownLatch busy = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException expected) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            LoopFuture<String> f = loop.newFuture();
            f.completeOnLoop("kept");
            assertThat(f).as("queued behind the running callback").isNotDone();

            List<Runnable> neverStarted = group.shutdownNow();

            assertThat(neverStarted).isEmpty();
            assertThat(f.await(Duration.ofSeconds(40))).isEqualTo("kept");
        } finally {
            release.countDown();
            group.close();
        }
    }

    @Test
    void onceTheLoopHasTerminatedItFailsWithClosedExceptionOrFindsTheFutureCancelled() throws Exception {
        EventThread group = TestLoops.started("col-gone", 1);
        EventLoop loop = group.next();
        LoopFuture<String> promise = loop.newFuture();
        LoopFuture<String> dependent = promise.newIncompleteFuture(); // not owned by the loop: not cancelled at termination
        group.shutdownGracefully(Duration.ofSeconds(5)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(promise).as("termination cancels newFuture()").isCancelled();

        promise.completeOnLoop("late");
        dependent.completeExceptionallyOnLoop(new IllegalArgumentException("late failure"));

        assertThat(promise).isCancelled();
        assertThatThrownBy(dependent::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ClosedException.class).hasMessageContaining("has terminated")
                .cause().isInstanceOf(IllegalArgumentException.class);
        assertThat(loop.stats().tasksRejected()).isZero();
    }

    @Test
    void queuedOnALoopStuckPastItsDeadlineItIsAnsweredWhenTheLoopIsForcedNotWhenTheThreadReturns() throws Exception {
        EventThread group = TestLoops.started("col-forced", 1);
        EventLoop loop = group.next();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            inside.countDown();
            spinIgnoringInterrupts(release);
        });
        try {
            assertThat(inside.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // a future the loop's termination does not cancel: only the completion can answer it
            LoopFuture<String> untracked = loop.<String>newFuture().newIncompleteFuture();
            untracked.completeOnLoop("never run");
            assertThat(untracked).isNotDone();

            ShutdownReport report = group.shutdownGracefully(Duration.ofMillis(100)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.FORCED);
            assertThat(untracked).as("answered while the loop thread is still stuck").isCompletedExceptionally();
            assertThatThrownBy(untracked::join).hasCauseInstanceOf(ClosedException.class);
        } finally {
            release.countDown();
        }
    }

    private static void spinIgnoringInterrupts(CountDownLatch release) {
        boolean interrupted = false;
        while (release.getCount() > 0) {
            interrupted |= Thread.interrupted();
            Thread.onSpinWait();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onALoopNotYetStartedItFailsWithClosedException() {
        EventThread group = TestLoops.builder("col-new").loopCount(1).build();
        try {
            LoopFuture<String> f = group.next().newFuture();
            f.completeOnLoop("too early");
            assertThatThrownBy(f::join).isNotInstanceOf(CancellationException.class)
                    .hasCauseInstanceOf(ClosedException.class).hasMessageContaining("has not been started");
        } finally {
            group.close();
        }
    }

    @Test
    void aNullFailureIsRefusedAtOnce() throws Exception {
        try (EventThread group = TestLoops.started("col-null", 1)) {
            LoopFuture<String> f = group.next().newFuture();
            assertThatThrownBy(() -> f.completeExceptionallyOnLoop(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("failure");
            assertThat(f).isNotDone();
        }
    }
}

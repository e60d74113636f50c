package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor views: a library may shut down the executor it was given (Reactor's
 * {@code dispose()} calls {@code shutdownNow()}, a Kotlin dispatcher's {@code close()} calls
 * {@code shutdown()}) and every other user of the group keeps running; for the view itself the
 * JSR-166 contract holds.
 */
@Timeout(30)
class ExecutorViewTest {

    private static final Duration WAIT = TestLoops.WAIT;

    @Test
    void shutdownNowOfAGroupViewLeavesTheGroupAndOtherViewsServing() throws Exception {
        try (EventThread group = TestLoops.started("view-now", 2)) {
            ExecutorService given = group.asExecutorService();
            ExecutorService other = group.asExecutorService();
            assertThat(given.submit(() -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);

            assertThat(given.shutdownNow()).isEmpty();

            assertThat(given.isShutdown()).isTrue();
            assertThat(given.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(given.isTerminated()).isTrue();
            assertThat(group.isShutdown()).isFalse();
            for (EventLoop loop : group.loops()) {
                assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
                assertThat(loop.submit(() -> "loop").await(WAIT)).isEqualTo("loop");
            }
            assertThat(other.submit(() -> "other view").get(5, TimeUnit.SECONDS)).isEqualTo("other view");
            assertThat(other.isShutdown()).isFalse();
        }
    }

    @Test
    void shutdownOfALoopViewLeavesTheLoopAndTheOtherLoopsServing() throws Exception {
        try (EventThread group = TestLoops.started("view-close", 2)) {
            EventLoop first = group.loops().get(0);
            EventLoop second = group.loops().get(1);
            ScheduledExecutorService dispatcher = first.asExecutorService();
            assertThat(dispatcher.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
                    .isEqualTo(first.name());

            dispatcher.shutdown(); // what a Kotlin dispatcher's close() does

            assertThat(dispatcher.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> dispatcher.execute(() -> { }))
                    .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("executor view was shut down");
            assertThat(first.submit(() -> "first").await(WAIT)).isEqualTo("first");
            assertThat(second.submit(() -> "second").await(WAIT)).isEqualTo("second");
            assertThat(first.asExecutorService().submit(() -> "new view").get(5, TimeUnit.SECONDS)).isEqualTo("new view");
            assertThat(group.isShutdown()).isFalse();
        }
    }

    @Test
    void shutdownRunsAcceptedAndDelayedOneShotsAndCancelsPeriodicTasks() throws Exception {
        try (EventThread group = TestLoops.started("view-drain", 1)) {
            EventLoop loop = group.next();
            ScheduledExecutorService view = loop.asExecutorService();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocking = new CountDownLatch(1);
            loop.execute(() -> {
                blocking.countDown();
                awaitQuietly(release); // holds the loop so the view's tasks stay queued
            });
            assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
            Future<String> queued = view.submit(() -> "queued");
            ScheduledFuture<String> delayed = view.schedule(() -> "delayed", 50, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> periodic = view.scheduleAtFixedRate(() -> { }, 0, 1, TimeUnit.MILLISECONDS);

            view.shutdown();

            assertThat(periodic.isCancelled()).isTrue();
            assertThat(view.isShutdown()).isTrue();
            assertThat(view.isTerminated()).isFalse();
            assertThat(view.awaitTermination(20, TimeUnit.MILLISECONDS)).isFalse();
            release.countDown();
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(queued.get()).isEqualTo("queued");
            assertThat(delayed.get()).isEqualTo("delayed");
            assertThat(view.isTerminated()).isTrue();
        }
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStartedAndDoesNotInterruptTheLoop() throws Exception {
        try (EventThread group = TestLoops.started("view-stop", 1)) {
            EventLoop loop = group.next();
            ScheduledExecutorService view = loop.asExecutorService();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger interruptedInside = new AtomicInteger();
            view.execute(() -> {
                running.countDown();
                awaitQuietly(release);
                if (Thread.currentThread().isInterrupted()) {
                    interruptedInside.incrementAndGet();
                }
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            Runnable plain = () -> { };
            view.execute(plain);
            Future<Integer> submitted = view.submit(() -> 1);
            ScheduledFuture<?> timer = view.schedule(() -> { }, 1, TimeUnit.HOURS);

            List<Runnable> neverStarted = view.shutdownNow();

            assertThat(neverStarted).containsExactlyInAnyOrder(plain, (Runnable) submitted, (Runnable) timer);
            assertThat(submitted.isCancelled()).isTrue();
            assertThat(timer.isCancelled()).isTrue();
            assertThat(view.isTerminated()).as("the running task is still running").isFalse();
            release.countDown();
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(interruptedInside).hasValue(0);
            // the next user's callback on that loop thread does not see an interrupt meant for the view
            assertThat(loop.submit(() -> Thread.currentThread().isInterrupted()).await(WAIT)).isFalse();
            assertThat(group.isShutdown()).isFalse();
        }
    }

    @Test
    void aCancelledTaskNoLongerHoldsTheViewsTermination() throws Exception {
        try (EventThread group = TestLoops.started("view-cancel", 1)) {
            ScheduledExecutorService view = group.asExecutorService();
            ScheduledFuture<?> timer = view.schedule(() -> { }, 1, TimeUnit.HOURS);
            view.shutdown();
            assertThat(view.isTerminated()).as("a delayed one-shot is kept after shutdown").isFalse();
            timer.cancel(false);
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theGroupsTerminationShutsDownAndTerminatesItsViews() throws Exception {
        EventThread group = TestLoops.started("view-group", 2);
        ScheduledExecutorService view = group.asExecutorService();
        ScheduledFuture<?> timer = view.schedule(() -> { }, 1, TimeUnit.HOURS);
        group.shutdownGracefully(Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertThat(view.isShutdown()).isTrue();
        assertThat(view.isTerminated()).isTrue();
        assertThat(view.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
        assertThat(timer.isDone()).isTrue();
        assertThatThrownBy(() -> view.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aGroupViewSpreadsTasksAndKeepsAPeriodicTaskOnOneLoop() throws Exception {
        try (EventThread group = TestLoops.started("view-spread", 3)) {
            ScheduledExecutorService view = group.asExecutorService();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 6; i++) {
                threads.add(view.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS));
            }
            assertThat(threads).containsExactlyInAnyOrder("view-spread-1", "view-spread-2", "view-spread-3");

            Set<String> periodicThreads = ConcurrentHashMap.newKeySet();
            CountDownLatch fiveRuns = new CountDownLatch(5);
            ScheduledFuture<?> periodic = view.scheduleWithFixedDelay(() -> {
                periodicThreads.add(Thread.currentThread().getName());
                fiveRuns.countDown();
            }, 0, 1, TimeUnit.MILLISECONDS);
            assertThat(fiveRuns.await(5, TimeUnit.SECONDS)).isTrue();
            periodic.cancel(false);
            assertThat(periodicThreads).hasSize(1);
        }
    }

    @Test
    void waitingOnAViewFromALoopThreadIsRefused() throws Exception {
        try (EventThread group = TestLoops.started("view-block", 2)) {
            ExecutorService view = group.asExecutorService();
            List<Callable<String>> tasks = List.of(() -> "x");
            LoopFuture<Throwable> invokeAll = group.loops().get(0).submit(() -> catching(() -> view.invokeAll(tasks)));
            LoopFuture<Throwable> invokeAny = group.loops().get(1).submit(() -> catching(() -> view.invokeAny(tasks)));
            LoopFuture<Throwable> await = group.loops().get(0).submit(() -> catching(() -> view.awaitTermination(1, TimeUnit.SECONDS)));
            assertThat(invokeAll.await(WAIT)).isInstanceOf(BlockingOperationException.class);
            assertThat(invokeAny.await(WAIT)).isInstanceOf(BlockingOperationException.class);
            assertThat(await.await(WAIT)).isInstanceOf(BlockingOperationException.class);
            // off the loops they work, on the loops' threads
            List<Callable<String>> threadName = List.of(() -> Thread.currentThread().getName());
            String ranOn = view.invokeAny(threadName);
            assertThat(ranOn).startsWith("view-block-");
            assertThat(view.invokeAll(tasks)).singleElement().satisfies(f -> assertThat(f.get()).isEqualTo("x"));
        }
    }

    @Test
    void invokeAllThatTimesOutCancelsItsTasksAndTheViewStillTerminates() throws Exception {
        try (EventThread group = TestLoops.started("view-invoke", 1)) {
            EventLoop loop = group.next();
            ExecutorService view = loop.asExecutorService();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocking = new CountDownLatch(1);
            loop.execute(() -> {
                blocking.countDown();
                awaitQuietly(release);
            });
            assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
            List<Callable<String>> tasks = List.of(() -> "a", () -> "b");
            List<Future<String>> futures = view.invokeAll(tasks, 20, TimeUnit.MILLISECONDS);
            assertThat(futures).hasSize(2).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
            release.countDown();
            view.shutdown();
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).as("cancelled tasks no longer count").isTrue();
        }
    }

    @Test
    void eachCallGivesANewView() {
        try (EventThread group = TestLoops.started("view-new", 1)) {
            assertThat(group.asExecutorService()).isNotSameAs(group.asExecutorService());
            assertThat(group.next().asExecutorService()).isNotSameAs(group.next().asExecutorService());
        }
    }

    private static Throwable catching(Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

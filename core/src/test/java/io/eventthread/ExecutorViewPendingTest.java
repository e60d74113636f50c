package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an executor view keeps of the tasks it accepted — without a wrapper or a map entry object
 * per task: exactly its own never-started tasks come back from {@code shutdownNow()}, its count
 * of pending tasks stays true whichever thread completes them, and a {@code schedule(Runnable)}
 * timer runs the runnable itself (or decorated, when the group has a decorator).
 */
@Timeout(30)
class ExecutorViewPendingTest {

    @Test
    void shutdownNowReturnsExactlyThisViewsNeverStartedTasksAmongOtherViewsAndTheLoopsOwn() throws Exception {
        try (EventThread group = TestLoops.started("view-own", 2)) {
            ScheduledExecutorService mine = group.asExecutorService();
            ScheduledExecutorService theirs = group.asExecutorService();
            ScheduledExecutorService loopView = group.loops().get(0).asExecutorService();
            List<Object> expected = new ArrayList<>();
            List<ScheduledFuture<?>> others = new ArrayList<>();
            List<LoopHandle> loopsOwn = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // spread over both loops, interleaved with everyone else's
                Runnable runnable = () -> { };
                expected.add(mine.schedule(runnable, 1, TimeUnit.HOURS));
                expected.add(mine.schedule(() -> "callable", 1, TimeUnit.HOURS));
                others.add(theirs.schedule(runnable, 1, TimeUnit.HOURS));
                others.add(loopView.schedule(() -> { }, 1, TimeUnit.HOURS));
                loopsOwn.add(group.loops().get(i % 2).callLater(java.time.Duration.ofHours(1), () -> { }));
            }
            expected.add(mine.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS));

            List<Runnable> neverStarted = mine.shutdownNow();

            assertThat(neverStarted).containsExactlyInAnyOrderElementsOf(expected.stream().map(Runnable.class::cast).toList());
            assertThat(expected).allSatisfy(f -> assertThat(((Future<?>) f).isCancelled()).isTrue());
            assertThat(mine.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(others).allSatisfy(f -> assertThat(f.isDone()).isFalse());
            assertThat(loopsOwn).allSatisfy(h -> assertThat(h.isCancelled()).isFalse());
            assertThat(theirs.isShutdown()).isFalse();
            assertThat(theirs.shutdownNow()).hasSize(6);
            assertThat(loopView.shutdownNow()).hasSize(6);
            assertThat(theirs.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            loopsOwn.forEach(LoopHandle::cancel);
        }
    }

    @Test
    void timersCancelledFromManyThreadsOrFiredLeaveTheViewEmpty() throws Exception {
        try (EventThread group = TestLoops.started("view-count", 2)) {
            ScheduledExecutorService view = group.asExecutorService();
            int threads = 4;
            int perThread = 500;
            AtomicInteger fired = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        start.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        // one of four fires at once, the rest are cancelled by this thread
                        ScheduledFuture<?> timer = view.schedule(fired::incrementAndGet, i % 4 == 0 ? 0 : 1, i % 4 == 0
                                ? TimeUnit.NANOSECONDS : TimeUnit.HOURS);
                        if (i % 4 != 0) {
                            timer.cancel(false);
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join(10_000);
                assertThat(worker.isAlive()).isFalse();
            }

            view.shutdown();

            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).as("every timer left the view's count").isTrue();
            assertThat(fired).hasValue(threads * perThread / 4);
            assertThat(view.shutdownNow()).isEmpty();
            assertThat(view.toString()).contains("terminated", "0 pending");
        }
    }

    @Test
    void aRunnableTimerRunsTheRunnableAndItsFailureCompletesTheFuture() throws Exception {
        try (EventThread group = TestLoops.started("view-runnable", 1)) {
            ScheduledExecutorService view = group.asExecutorService();
            IllegalStateException boom = new IllegalStateException("boom");
            Runnable failing = new Runnable() {
                @Override
                public void run() {
                    throw boom;
                }

                @Override
                public String toString() {
                    return "the failing runnable";
                }
            };
            ScheduledFuture<?> timer = view.schedule(failing, 1, TimeUnit.MILLISECONDS);
            assertThat(timer.toString()).isEqualTo("the failing runnable");
            assertThatThrownBy(() -> timer.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCause(boom);
            CountDownLatch ran = new CountDownLatch(1);
            assertThat(view.schedule(ran::countDown, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS)).isNull();
            assertThat(ran.getCount()).isZero();
            view.shutdown();
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(group.isShutdown()).isFalse();
        }
    }

    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    @Test
    void aRunnableTimerOfADecoratedGroupRunsDecorated() throws Exception {
        try (EventThread group = TestLoops.builder("view-decorated").taskDecorator(task -> {
            String captured = CONTEXT.get();
            return () -> {
                CONTEXT.set(captured);
                try {
                    task.run();
                } finally {
                    CONTEXT.remove();
                }
            };
        }).build().start()) {
            ScheduledExecutorService view = group.asExecutorService();
            List<String> seen = new ArrayList<>();
            CONTEXT.set("request-7");
            ScheduledFuture<?> timer = view.schedule(() -> seen.add(CONTEXT.get()), 1, TimeUnit.MILLISECONDS);
            CONTEXT.remove();
            timer.get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("request-7");
        }
    }
}

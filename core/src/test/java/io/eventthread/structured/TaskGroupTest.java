package io.eventthread.structured;

import static io.eventthread.TestLoops.WAIT;
import static io.eventthread.TestLoops.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.BlockingOperationException;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.ShutdownReport;
import io.eventthread.TestLoops;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TaskGroupTest {

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void closeWaitsForEveryKindOfChild() throws Exception {
        try (EventThread loops = started("tg-all", 1)) {
            EventLoop loop = loops.next();
            LoopFuture<String> task, async, blocking, timer, nestedChild;
            TaskGroup nested;
            try (TaskGroup tg = TaskGroup.open(loop)) {
                task = tg.submit(() -> "task");
                async = tg.submitAsync(() -> loop.sleep(Duration.ofMillis(50)).thenApply(v -> "async"));
                blocking = tg.runBlocking(() -> {
                    Thread.sleep(50);
                    return "blocking";
                });
                timer = tg.schedule(Duration.ofMillis(80), () -> "timer");
                nested = tg.openGroup();
                nestedChild = nested.schedule(Duration.ofMillis(60), () -> "nested");
                nested.closeAsync();
            }
            assertThat(List.of(task, async, blocking, timer, nestedChild)).allSatisfy(f -> assertThat(f).isDone());
            assertThat(List.of(task.join(), async.join(), blocking.join(), timer.join(), nestedChild.join()))
                    .containsExactly("task", "async", "blocking", "timer", "nested");
            assertThat(nested.closeAsync()).isCompleted();
        }
    }

    @Test
    void groupFutureIsPendingUntilClosedAndChildrenDone() throws Exception {
        try (EventThread loops = started("tg-pending", 1)) {
            EventLoop loop = loops.next();
            TaskGroup tg = TaskGroup.open(loop);
            LoopFuture<String> gate = loop.newFuture();
            tg.submitAsync(() -> gate);
            LoopFuture<Void> done = tg.closeAsync();
            TestLoops.sync(loop);
            assertThat(done).isNotDone();
            assertThat(tg.activeCount()).isEqualTo(1);
            loop.execute(() -> gate.complete("go"));
            done.await(WAIT);
            assertThat(tg.activeCount()).isZero();
            assertThatThrownBy(() -> tg.submit(() -> "late")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("open a new group");
        }
    }

    @Test
    void firstFailureCancelsEverySiblingAndInterruptsBlockingOnes() throws Exception {
        try (EventThread loops = started("tg-fail", 1)) {
            EventLoop loop = loops.next();
            CountDownLatch blockingStarted = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            CountDownLatch secondMayFail = new CountDownLatch(1);
            TaskGroup tg = TaskGroup.open(loop);
            LoopFuture<String> blocker = tg.runBlocking(() -> {
                blockingStarted.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                    return "not interrupted";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            LoopFuture<Void> sleeper = tg.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)));
            LoopFuture<String> timer = tg.schedule(Duration.ofSeconds(30), () -> "late");
            LoopFuture<String> second = tg.runBlocking(() -> {
                secondMayFail.await(30, TimeUnit.SECONDS);
                throw new IllegalArgumentException("second");
            });
            assertThat(await(blockingStarted)).isTrue();
            IllegalStateException first = new IllegalStateException("first");
            tg.submit(() -> {
                throw first;
            });
            LoopFuture<Void> done = tg.closeAsync();

            assertThat(await(interrupted)).isTrue();
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(failure.getCause()).isSameAs(first);
            assertThat(List.of(blocker, sleeper, timer, second)).allSatisfy(f -> assertThat(f).isCancelled());
            assertThat(tg.isAborted()).isTrue();
            TestLoops.sync(loop);
            assertThat(loop.stats().pendingTimers()).isZero(); // the sleep and the timer were unlinked
            assertThat(tg.submit(() -> "late")).isCancelled();   // a failed group refuses, even once done
            assertThat(first.getSuppressed()).isEmpty(); // the interrupted children threw InterruptedException
        }
    }

    @Test
    void groupWaitsForAnInterruptedBlockingChildAndKeepsItsLateFailureAsSuppressed() throws Exception {
        try (EventThread loops = started("tg-suppressed", 1)) {
            EventLoop loop = loops.next();
            TaskGroup tg = TaskGroup.open(loop);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch unwinding = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            AtomicBoolean returned = new AtomicBoolean();
            IllegalStateException cleanupFailure = new IllegalStateException("cleanup after interrupt failed");
            LoopFuture<String> blocking = tg.runBlocking(() -> {
                started.countDown();
                try {
                    Thread.sleep(30_000);
                    return "slept";
                } catch (InterruptedException e) {
                    // the task takes a while to unwind and fails on its way out
                    unwinding.countDown();
                    while (proceed.getCount() > 0) {
                        Thread.onSpinWait();
                    }
                    returned.set(true);
                    throw cleanupFailure;
                }
            });
            assertThat(await(started)).isTrue();
            RuntimeException first = new RuntimeException("first");
            tg.submit(() -> {
                throw first;
            });
            LoopFuture<Void> done = tg.closeAsync();
            assertThat(await(unwinding)).isTrue();
            assertThat(blocking).isCancelled();
            assertThat(done).isNotDone();               // the thread is still in the task
            assertThat(tg.isAborted()).isTrue();
            AtomicBoolean ran = new AtomicBoolean();
            assertThat(tg.submit(() -> ran.getAndSet(true))).isCancelled();   // refused while aborting
            proceed.countDown();
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertThat(ran).isFalse();
            // structured: the group completed only after the interrupted thread left the task
            assertThat(returned).isTrue();
            assertThat(failure.getCause()).isSameAs(first);
            assertThat(first.getSuppressed()).containsExactly(cleanupFailure);
        }
    }

    @Test
    void nestedGroupFailureFailsTheParentAndParentFailureCancelsTheNestedChildren() throws Exception {
        try (EventThread loops = started("tg-nested", 1)) {
            EventLoop loop = loops.next();
            // a failure in the nested group fails the parent and cancels the parent's other children
            TaskGroup parent = TaskGroup.open(loop);
            LoopFuture<String> sibling = parent.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)).thenApply(v -> "x"));
            TaskGroup nested = parent.openGroup();
            RuntimeException boom = new RuntimeException("nested boom");
            nested.submit(() -> {
                throw boom;
            });
            assertThatThrownBy(() -> parent.closeAsync().await(WAIT)).cause().isSameAs(boom);
            assertThat(sibling).isCancelled();
            assertThat(nested.closeAsync()).isCompletedExceptionally();

            // a failure in the parent cancels the nested group and, through it, its blocking child
            TaskGroup parent2 = TaskGroup.open(loop);
            TaskGroup nested2 = parent2.openGroup();
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            LoopFuture<String> deep = nested2.runBlocking(() -> {
                started.countDown();
                try {
                    Thread.sleep(30_000);
                    return "slept";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            assertThat(await(started)).isTrue();
            RuntimeException parentBoom = new RuntimeException("parent boom");
            parent2.submit(() -> {
                throw parentBoom;
            });
            assertThatThrownBy(() -> parent2.closeAsync().await(WAIT)).cause().isSameAs(parentBoom);
            assertThat(await(interrupted)).isTrue();
            assertThat(deep).isCancelled();
            assertThat(nested2.closeAsync()).isCancelled();
        }
    }

    @Test
    void cancellingTheGroupCancelsChildrenAndCompletesItsFutureAfterThem() throws Exception {
        try (EventThread loops = started("tg-cancel", 1)) {
            EventLoop loop = loops.next();
            TaskGroup tg = TaskGroup.open(loop);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            LoopFuture<String> blocking = tg.runBlocking(() -> {
                started.countDown();
                try {
                    Thread.sleep(30_000);
                    return "slept";
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            });
            LoopFuture<String> timer = tg.schedule(Duration.ofSeconds(30), () -> "late");
            TaskGroup nested = tg.openGroup();
            LoopFuture<Void> nestedSleep = nested.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)));
            assertThat(await(started)).isTrue();

            assertThat(tg.cancel()).isTrue();
            assertThat(tg.cancel()).isFalse();
            LoopFuture<Void> done = tg.closeAsync();
            assertThatThrownBy(() -> done.await(WAIT)).isInstanceOf(CancellationException.class);
            assertThat(List.of(blocking, timer, nestedSleep)).allSatisfy(f -> assertThat(f).isCancelled());
            assertThat(nested.closeAsync()).isCancelled();
            assertThat(await(interrupted)).isTrue();

            // cancelling the group's future cancels the group as well
            TaskGroup viaFuture = TaskGroup.open(loop);
            LoopFuture<Void> child = viaFuture.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)));
            viaFuture.closeAsync().cancel(false);
            child.exceptionally(t -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(child).isCancelled();
            assertThat(viaFuture.isAborted()).isTrue();
        }
    }

    @Test
    void shutdownCancelsOpenGroupsAndTheirFuturesComplete() throws Exception {
        EventThread loops = started("tg-shutdown", 1);
        EventLoop loop = loops.next();
        TaskGroup open = TaskGroup.open(loop);            // never closed
        LoopFuture<Void> sleeping = open.submitAsync(() -> loop.sleep(Duration.ofSeconds(60)));
        TaskGroup closed = TaskGroup.open(loop);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        closed.runBlocking(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return null;
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        LoopFuture<Void> closedDone = closed.closeAsync();
        assertThat(await(started)).isTrue();
        ShutdownReport report = loops.shutdownGracefully(Duration.ofSeconds(20)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        // the groups were cancelled when the shutdown began, so nothing waited for the 20 s deadline
        assertThat(report.duration()).isLessThan(Duration.ofSeconds(10));
        assertThat(sleeping).isCancelled();
        assertThat(closedDone).isCancelled();
        assertThat(open.isAborted()).isTrue();
        assertThat(open.closeAsync()).isCancelled();
        assertThat(await(interrupted)).isTrue();
        assertThatThrownBy(() -> TaskGroup.open(loop)).isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("has terminated");
    }

    @Test
    void usableFromLoopCode() throws Exception {
        try (EventThread loops = started("tg-onloop", 1)) {
            EventLoop loop = loops.next();
            AtomicReference<String> thread = new AtomicReference<>();
            LoopFuture<String> result = loop.submitAsync(() -> {
                TaskGroup tg = TaskGroup.open(loop);
                LoopFuture<Integer> a = tg.submit(() -> 1);
                LoopFuture<Integer> b = tg.runBlocking(() -> 2);
                LoopFuture<Integer> c = tg.schedule(Duration.ofMillis(10), () -> 3);
                assertThatThrownBy(tg::close).isInstanceOf(BlockingOperationException.class).hasMessageContaining("closeAsync()");
                return tg.closeAsync().thenApply(v -> {
                    thread.set(Thread.currentThread().getName());
                    return "" + (a.join() + b.join() + c.join());
                });
            });
            assertThat(result.await(WAIT)).isEqualTo("6");
            assertThat(thread.get()).isEqualTo(loop.name()); // the group's future completes on the loop
        }
    }

    @Test
    void closeFromPlainThreadThrowsTheFirstFailure() throws Exception {
        try (EventThread loops = started("tg-close", 1)) {
            EventLoop loop = loops.next();
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> {
                try (TaskGroup tg = TaskGroup.open(loop)) {
                    tg.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)));
                    tg.runBlocking(() -> {
                        throw boom;
                    });
                }
            }).isInstanceOf(CompletionException.class).cause().isSameAs(boom);
        }
    }

    @Test
    void childStartedByAChildBeforeTheGroupIsDoneIsWaitedFor() throws Exception {
        try (EventThread loops = started("tg-grandchild", 1)) {
            EventLoop loop = loops.next();
            TaskGroup tg = TaskGroup.open(loop);
            AtomicReference<LoopFuture<String>> grandchild = new AtomicReference<>();
            tg.submit(() -> {
                grandchild.set(tg.schedule(Duration.ofMillis(50), () -> "grandchild"));
                return null;
            });
            tg.closeAsync().await(WAIT);
            assertThat(grandchild.get().join()).isEqualTo("grandchild");
        }
    }

    @Test
    void interruptingAThreadInCloseCancelsTheGroupAndKeepsTheInterrupt() throws Exception {
        try (EventThread loops = started("tg-interrupt", 1)) {
            EventLoop loop = loops.next();
            TaskGroup tg = TaskGroup.open(loop);
            LoopFuture<Void> child = tg.submitAsync(() -> loop.sleep(Duration.ofSeconds(30)));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                try {
                    tg.close();
                } catch (Throwable t) {
                    thrown.set(t);
                    interruptKept.set(Thread.currentThread().isInterrupted());
                }
            });
            closer.start();
            // wait until the closer is parked in close(), then interrupt it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            closer.interrupt();
            closer.join(WAIT.toMillis());
            assertThat(thrown.get()).isInstanceOf(CancellationException.class);
            assertThat(interruptKept).isTrue();
            assertThat(child).isCancelled();
        }
    }

    @Test
    void badInputGetsAClearError() throws Exception {
        try (EventThread loops = started("tg-bad", 1)) {
            EventLoop loop = loops.next();
            assertThatThrownBy(() -> TaskGroup.open(null)).isInstanceOf(NullPointerException.class).hasMessage("loop");
            TaskGroup tg = TaskGroup.open(loop);
            assertThatThrownBy(() -> tg.submit((java.util.concurrent.Callable<String>) null)).hasMessage("task");
            assertThatThrownBy(() -> tg.submitAsync(null)).hasMessage("work");
            assertThatThrownBy(() -> tg.runBlocking(null)).hasMessage("task");
            assertThatThrownBy(() -> tg.schedule(null, () -> 1)).hasMessage("delay");
            tg.closeAsync().await(WAIT);
        }
        assertThatThrownBy(() -> EventThread.builder().blockingDetectionThreshold(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("blockingDetectionThreshold: PT0S (expected: > 0)");
    }

    @Test
    void aGroupOpenedOnceTheShutdownHasBegunIsCancelledAtOnce() throws Exception {
        EventThread loops = started("tg-late", 1);
        EventLoop loop = loops.next();
        TaskGroup.open(loop).closeAsync().await(WAIT); // the loop's shutdown hook for groups is in place
        AtomicReference<TaskGroup> late = new AtomicReference<>();
        AtomicReference<LoopFuture<Void>> lateChild = new AtomicReference<>();
        loop.onShutdown(() -> {
            TaskGroup group = TaskGroup.open(loop);
            late.set(group);
            lateChild.set(group.submitAsync(() -> loop.sleep(Duration.ofSeconds(60))));
        });
        ShutdownReport report = loops.shutdownGracefully(Duration.ofSeconds(20)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(report.duration()).isLessThan(Duration.ofSeconds(10));
        assertThat(late.get().isAborted()).isTrue();
        assertThat(lateChild.get()).isCancelled();
        assertThat(late.get().closeAsync()).isCancelled();
    }
}

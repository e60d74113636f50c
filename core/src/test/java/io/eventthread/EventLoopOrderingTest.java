package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Semantics 1: FIFO, timer order, timers never early, cancelled timers never run and are released. */
@Timeout(20)
class EventLoopOrderingTest {

    private final EventThread group = TestLoops.started("order", 1);
    private final EventLoop loop = group.next();

    @AfterEach
    void close() {
        group.close();
    }

    @Test
    void tasksFromOneThreadRunInSubmissionOrder() throws Exception {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int n = i;
            loop.execute(() -> seen.add(n));
        }
        TestLoops.sync(loop);
        assertThat(seen).hasSize(100_000);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
    }

    @Test
    void tasksFromEachOfManyProducersKeepTheirOrder() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        List<int[]> seen = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perProducer; i++) {
                    int n = i;
                    loop.execute(() -> seen.add(new int[] {producer, n}));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        TestLoops.sync(loop);
        assertThat(seen).hasSize(producers * perProducer);
        int[] next = new int[producers];
        for (int[] entry : seen) {
            assertThat(entry[1]).as("producer %d order", entry[0]).isEqualTo(next[entry[0]]++);
        }
    }

    @Test
    void timersWithEqualDeadlinesFireInSchedulingOrder() throws Exception {
        List<Integer> fired = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(50);
        loop.submit(() -> {
            long at = loop.time() + Duration.ofMillis(30).toNanos();
            for (int i = 0; i < 50; i++) {
                int n = i;
                loop.callAt(at, () -> {
                    fired.add(n);
                    done.countDown();
                });
            }
            return null;
        }).get();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void timersFireInDeadlineOrderAndNeverEarly() throws Exception {
        int count = 200;
        List<long[]> fired = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(count);
        java.util.Random random = new java.util.Random(42);
        // scheduled in one loop task, so all are in the heap before the first can fire (from
        // outside, a slow producer's timer may legitimately arrive after a later one fired)
        loop.execute(() -> {
            for (int i = 0; i < count; i++) {
                long due = loop.time() + TimeUnit.MICROSECONDS.toNanos(random.nextInt(50_000));
                loop.callAt(due, () -> {
                    fired.add(new long[] {due, loop.time()});
                    done.countDown();
                });
            }
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        long previousDue = Long.MIN_VALUE;
        for (long[] f : fired) {
            assertThat(f[1]).as("fired at or after its deadline").isGreaterThanOrEqualTo(f[0]);
            assertThat(f[0]).as("deadline order").isGreaterThanOrEqualTo(previousDue);
            previousDue = f[0];
        }
    }

    @Test
    void callLaterWaitsAtLeastItsDelay() throws Exception {
        long start = System.nanoTime();
        LoopFuture<Long> fired = loop.newFuture();
        loop.callLater(Duration.ofMillis(50), () -> fired.complete(System.nanoTime()));
        assertThat(fired.await(TestLoops.WAIT) - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void cancelledTimerNeverRunsAndIsReleasedAtOnce() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        LoopHandle handle = loop.callLater(Duration.ofMillis(100), ran::countDown);
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).isEqualTo(1);
        assertThat(handle.cancel()).isTrue();
        assertThat(handle.isCancelled()).isTrue();
        assertThat(handle.cancel()).as("second cancel").isFalse();
        TestLoops.sync(loop); // a cancel from another thread sends nothing: the count drops at once, the heap purges at the next turn
        assertThat(loop.stats().pendingTimers()).as("released before its deadline").isZero();
        assertThat(ran.await(300, TimeUnit.MILLISECONDS)).as("cancelled timer ran").isFalse();
    }

    @Test
    void manyTimersCancelledFromOutsideLeaveNothingInTheHeap() throws Exception {
        List<LoopHandle> handles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            handles.add(loop.callLater(Duration.ofMinutes(10 + i), () -> {
                throw new AssertionError("cancelled timer ran");
            }));
        }
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).isEqualTo(10_000);
        handles.forEach(LoopHandle::cancel);
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).isZero();
    }

    @Test
    void timerCancelledOnTheLoopIsUnlinkedImmediately() throws Exception {
        int pending = loop.submit(() -> {
            LoopHandle h = loop.callLater(Duration.ofHours(1), () -> { });
            h.cancel();
            return loop.stats().pendingTimers();
        }).get();
        assertThat(pending).isZero();
    }

    @Test
    void periodicTaskRepeatsUntilCancelled() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        var periodic = loop.asExecutorService().scheduleAtFixedRate(three::countDown, 0, 5, TimeUnit.MILLISECONDS);
        assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(periodic.cancel(false)).isTrue();
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).isZero();
        assertThat(periodic.isCancelled()).isTrue();
    }

    @Test
    void periodicTaskThatThrowsStopsAndCarriesTheFailure() throws Exception {
        var periodic = loop.asExecutorService().scheduleWithFixedDelay(() -> {
            throw new IllegalStateException("tick failed");
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> periodic.get(5, TimeUnit.SECONDS)))
                .hasRootCauseMessage("tick failed");
        TestLoops.sync(loop);
        assertThat(loop.stats().pendingTimers()).isZero();
    }

    @Test
    void negativeDelaysMeanNow() throws Exception {
        LoopFuture<String> f = loop.newFuture();
        loop.callLater(Duration.ofSeconds(-5), () -> f.complete("now"));
        assertThat(f.await(TestLoops.WAIT)).isEqualTo("now");
        assertThat(loop.asExecutorService().schedule(() -> "also now", -1, TimeUnit.DAYS).get(5, TimeUnit.SECONDS)).isEqualTo("also now");
    }

    @Test
    void timeIsMonotonicLoopTime() throws Exception {
        long before = loop.time();
        long onLoop = loop.submit(loop::time).get();
        assertThat(onLoop).isGreaterThanOrEqualTo(before);
    }
}

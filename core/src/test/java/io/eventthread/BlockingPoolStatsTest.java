package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read-only figures of the blocking pool, as a monitoring layer (the starter's meters) reads them. */
@Timeout(20)
class BlockingPoolStatsTest {

    @Test
    void blockingPoolReportsActiveQueuedAndCompletedTasks() throws Exception {
        try (EventThread group = TestLoops.builder("pool").blockingMaxThreads(1).build().start()) {
            EventLoop loop = group.next();
            assertThat(group.blockingPool().maxThreads()).isEqualTo(1);
            assertThat(group.blockingPool().virtualThreads()).isFalse();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            LoopFuture<Boolean> first = loop.runBlocking(() -> {
                running.countDown();
                return release.await(10, TimeUnit.SECONDS);
            });
            LoopFuture<String> second = loop.runBlocking(() -> "queued");
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            BlockingPoolStats busy = group.blockingPool();
            assertThat(busy.activeThreads()).isEqualTo(1);
            assertThat(busy.poolSize()).isEqualTo(1);
            assertThat(busy.queuedTasks()).isEqualTo(1);
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
            // the pool counts a task completed after its future, once the worker returns to it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (group.blockingPool().completedTasks() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(group.blockingPool().completedTasks()).isEqualTo(2);
            assertThat(group.blockingPool().queuedTasks()).isZero();
        }
    }
}

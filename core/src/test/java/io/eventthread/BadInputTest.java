package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Semantics 6: bad input fails fast with a message that says what to do. */
@Timeout(20)
class BadInputTest {

    @Test
    void nullArgumentsNameTheParameter() {
        try (EventThread group = TestLoops.started("nulls", 1)) {
            EventLoop loop = group.next();
            assertThatThrownBy(() -> loop.execute(null)).isInstanceOf(NullPointerException.class).hasMessage("command");
            assertThatThrownBy(() -> group.asExecutorService().execute(null)).isInstanceOf(NullPointerException.class).hasMessage("command");
            assertThatThrownBy(() -> loop.asExecutorService().schedule((Runnable) null, 1, TimeUnit.SECONDS)).hasMessage("command");
            assertThatThrownBy(() -> loop.asExecutorService().schedule((Runnable) null, 1, null)).hasMessage("command");
            assertThatThrownBy(() -> loop.asExecutorService().schedule(() -> { }, 1, null)).hasMessage("unit");
            assertThatThrownBy(() -> loop.asExecutorService().schedule((Callable<?>) null, 1, TimeUnit.SECONDS)).hasMessage("callable");
            assertThatThrownBy(() -> loop.asExecutorService().scheduleAtFixedRate(null, 1, 1, TimeUnit.SECONDS)).hasMessage("command");
            assertThatThrownBy(() -> loop.asExecutorService().scheduleWithFixedDelay(null, 1, 1, TimeUnit.SECONDS)).hasMessage("command");
            assertThatThrownBy(() -> group.asExecutorService().schedule((Runnable) null, 1, TimeUnit.SECONDS)).hasMessage("command");
            assertThatThrownBy(() -> loop.submit((Runnable) null)).isInstanceOf(NullPointerException.class).hasMessage("task");
            assertThatThrownBy(() -> loop.submit((Callable<?>) null)).isInstanceOf(NullPointerException.class).hasMessage("task");
            assertThatThrownBy(() -> loop.callSoon(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
            assertThatThrownBy(() -> loop.callLater(null, () -> { })).isInstanceOf(NullPointerException.class).hasMessage("delay");
            assertThatThrownBy(() -> loop.submitAsync(null)).isInstanceOf(NullPointerException.class).hasMessage("work");
            assertThatThrownBy(() -> loop.runBlocking(null)).isInstanceOf(NullPointerException.class).hasMessage("task");
            assertThatThrownBy(() -> loop.timeout(null, Duration.ZERO)).isInstanceOf(NullPointerException.class).hasMessage("stage");
            assertThatThrownBy(() -> group.loopFor(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
            assertThatThrownBy(() -> group.shutdownGracefully(null)).isInstanceOf(NullPointerException.class).hasMessage("timeout");
        }
    }

    @Test
    void invalidSettingsSayTheValidRange() {
        assertThatThrownBy(() -> EventThread.builder().loopCount(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("loopCount: 0 (expected: 1..1024)");
        assertThatThrownBy(() -> EventThread.builder().loopCount(1025).build())
                .hasMessage("loopCount: 1025 (expected: 1..1024)");
        assertThatThrownBy(() -> EventThread.builder().shutdownTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shutdownTimeout: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> EventThread.builder().stuckThreshold(Duration.ZERO).build())
                .hasMessage("stuckThreshold: PT0S (expected: > 0)");
        assertThatThrownBy(() -> EventThread.builder().queueCapacity(0).build())
                .hasMessage("queueCapacity: 0 (expected: 1..)");
        assertThatThrownBy(() -> EventThread.builder().blockingMaxThreads(0).build())
                .hasMessage("blockingMaxThreads: 0 (expected: 1..32767)");
        assertThatThrownBy(() -> EventThread.builder().threadNamePrefix(" ").build())
                .hasMessageContaining("threadNamePrefix");
    }

    @Test
    void negativeShutdownTimeoutIsRejected() {
        try (EventThread group = TestLoops.started("negative", 1)) {
            assertThatThrownBy(() -> group.shutdownGracefully(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout: PT-0.001S (expected: >= 0)");
        }
    }

    /**
     * The bound counts every queued entry, the engine's own included: the watchdog's delay probe,
     * sent when it first samples a callback with work queued behind it, takes a place. A busy
     * machine can delay that sample until this test has queued, so the watch is slowed to once in
     * ten minutes here, and the four places are the test's alone.
     */
    @Test
    void fullBoundedQueueRejectsAndCounts() throws Exception {
        Duration never = Duration.ofMinutes(10);
        try (EventThread group = TestLoops.builder("bounded").queueCapacity(4)
                .slowCallbackThreshold(never).stuckThreshold(never).watchdogInterval(never).build().start()) {
            EventLoop loop = group.next();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch queuedRan = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                loop.execute(queuedRan::countDown);
            }
            assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("bounded-1").hasMessageContaining("queue is full (capacity 4)");
            release.countDown();
            assertThat(queuedRan.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.stats().tasksRejected()).isEqualTo(1);
        }
    }

    @Test
    void submissionsBeforeStartAreRejected() {
        EventThread group = TestLoops.builder("unstarted").build();
        assertThatThrownBy(() -> group.next().execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("has not been started");
        group.close();
        assertThatThrownBy(group::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new one");
    }
}

package io.eventthread.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopEventTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private EventThread group;
    private EventLoop loop;
    private LoopEvent event;

    @BeforeEach
    void start() {
        group = EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
        loop = group.next();
        event = new LoopEvent(loop);
    }

    @AfterEach
    void stop() {
        group.close();
    }

    @Test
    void startsClearAndAwaitTimesOut() throws Exception {
        assertThat(event.isSet()).isFalse();
        assertThat(event.await(Duration.ofMillis(20))).isFalse();
        assertThat(event.await(Duration.ZERO)).isFalse();
    }

    @Test
    void setWakesAWaitingThread() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return event.await(WAIT);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        waiting.await();

        event.set();

        assertThat(waiter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(event.isSet()).isTrue();
        assertThat(event.await(Duration.ZERO)).isTrue();
    }

    @Test
    void setWakesLoopWaitersOnTheLoop() throws Exception {
        LoopFuture<Boolean> wokenOnLoop = loop.submitAsync(() -> event.awaitAsync().thenApply(v -> loop.inEventLoop()));
        LoopFuture<Void> fromThisThread = event.awaitAsync();

        event.set();

        assertThat(wokenOnLoop.await(WAIT)).isTrue();
        assertThat(fromThisThread.await(WAIT)).isNull();
        assertThat(event.awaitAsync().await(WAIT)).as("already set").isNull();
    }

    @Test
    void clearMakesLaterWaitersWait() throws Exception {
        event.set();
        event.clear();

        assertThat(event.isSet()).isFalse();
        LoopFuture<Void> waiter = event.awaitAsync();
        assertThat(event.await(Duration.ofMillis(20))).isFalse();
        assertThat(waiter).isNotDone();

        event.set();
        assertThat(waiter.await(WAIT)).isNull();
    }

    @Test
    void awaitOnTheLoopThreadFailsFast() {
        Throwable thrown = catchThrowable(() -> loop.submit(() -> event.await(WAIT)).await(WAIT));

        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LoopEvent.await()").hasMessageContaining("awaitAsync()");
    }

    @Test
    void cancelledLoopWaiterDoesNotStopTheOthers() throws Exception {
        LoopFuture<Void> cancelled = event.awaitAsync();
        LoopFuture<Void> kept = event.awaitAsync();
        cancelled.cancel(false);

        event.set();

        assertThat(kept.await(WAIT)).isNull();
        assertThat(cancelled).isCancelled();
    }
}

package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Callbacks at the start of a graceful shutdown: on the loop, before the timer policy, waited for. */
@Timeout(20)
class OnShutdownTest {

    @Test
    void runsOnTheLoopBeforeTimersAreCancelledAndItsWorkIsWaitedFor() throws Exception {
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        EventThread group = TestLoops.builder("on-shutdown").uncaughtExceptionHandler((t, e) -> handled.add(e)).build().start();
        EventLoop loop = group.next();
        LoopHandle hourly = loop.callLater(Duration.ofHours(1), () -> { });
        List<String> seen = new CopyOnWriteArrayList<>();
        LoopFuture<String> settled = loop.newFuture();
        loop.onShutdown(() -> {
            seen.add(Thread.currentThread().getName() + " timer cancelled yet: " + hourly.isCancelled());
            // final work started here is part of the drain
            loop.runBlocking(() -> "settled").thenAccept(settled::complete);
        });
        loop.onShutdown(() -> {
            throw new IllegalStateException("callback failed");
        });
        LoopHandle deregistered = loop.onShutdown(() -> seen.add("must not run"));
        assertThat(deregistered.cancel()).isTrue();
        TestLoops.sync(loop);

        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        assertThat(seen).containsExactly("on-shutdown-1 timer cancelled yet: false");
        assertThat(settled.getNow(null)).isEqualTo("settled");
        assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(hourly.isCancelled()).isTrue();
        assertThat(handled).extracting(Throwable::getMessage).containsExactly("callback failed");
    }

    @Test
    void registeredAfterTheShutdownBeganRunsSoonAndAfterTerminationNever() throws Exception {
        EventThread group = TestLoops.started("late", 1);
        EventLoop loop = group.next();
        LoopFuture<String> late = loop.newFuture();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.submitAsync(() -> late); // keeps the drain open until the late callback completes it
        java.util.concurrent.CountDownLatch earlyRan = new java.util.concurrent.CountDownLatch(1);
        loop.onShutdown(earlyRan::countDown);
        var stopping = group.shutdownGracefully(Duration.ofSeconds(5));
        release.countDown();
        assertThat(earlyRan.await(5, TimeUnit.SECONDS)).isTrue();
        loop.onShutdown(() -> late.complete(Thread.currentThread().getName()));
        assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo("late-1");
        stopping.get(10, TimeUnit.SECONDS);
        LoopHandle afterwards = loop.onShutdown(() -> { });
        assertThat(afterwards.isCancelled()).isTrue();
    }
}

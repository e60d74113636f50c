package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.bridge.LoopEvent;
import io.eventthread.LoopFuture;
import io.eventthread.bridge.LoopQueue;
import io.eventthread.bridge.LoopService;
import io.eventthread.ShutdownReport;
import io.eventthread.bridge.ThreadInbox;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 7: a {@code Duration} too long for {@code toNanos()} means "practically
 * forever", never an {@link ArithmeticException}. {@code Duration.ofSeconds(Long.MAX_VALUE)} is
 * what callers write for "no timeout".
 */
@Timeout(60)
class DurationBoundaryDefectTest {

    private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    @Test
    void awaitWithAHugeTimeoutWaitsForTheResult() throws Exception {
        EventThread group = Loops.builder("d15-await").build().start();
        try {
            EventLoop loop = group.next();
            CountDownLatch release = new CountDownLatch(1);
            LoopFuture<String> pending = loop.runBlocking(() -> {
                Loops.awaitInterruptibly(release);
                return "late";
            });
            LoopFuture<String> done = loop.submit(() -> "now");
            Loops.sync(loop);
            assertThat(await(done, Duration.ofSeconds(Long.MAX_VALUE))).as("await(ofSeconds(MAX)) on a done future").isEqualTo("now");
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> await(pending, HUGE));
            release.countDown();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).as("await(huge) on a pending future").isEqualTo("late");
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * LoopService.call with a huge timeout returns the result, and nothing it started is left
     * running uncancelled if it fails anyway.
     */
    @Test
    void loopServiceCallWithAHugeTimeoutWorksAndLeavesNothingRunning() throws Exception {
        EventThread group = Loops.builder("d15-call").build().start();
        try {
            EventLoop loop = group.next();
            AtomicReference<CompletableFuture<String>> started = new AtomicReference<>();
            LoopService service = LoopService.on(loop)
                    .handle("echo", String.class, s -> {
                        CompletableFuture<String> stage = loop.sleep(Duration.ofMillis(300)).thenApply(v -> s);
                        started.set(stage);
                        return stage;
                    })
                    .build();
            Object result;
            try {
                result = service.call("echo", "hello", Duration.ofSeconds(Long.MAX_VALUE));
            } catch (RuntimeException e) {
                result = e;
            }
            Loops.sync(loop); // the handler has run, if call submitted it
            CompletableFuture<String> operation = started.get();
            String state = operation == null ? "never started" : operation.isCancelled() ? "cancelled"
                    : operation.isDone() ? "done" : "still running";
            assertThat(result).as("LoopService.call(..., ofSeconds(Long.MAX_VALUE)) gave %s; the operation it submitted "
                    + "was then %s", result, state).isEqualTo("hello");
            assertThat(state).as("the operation after call returned").isEqualTo("done");
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /** The other Duration entry points saturate too (or reject with an IllegalArgumentException). */
    @Test
    void everyOtherDurationEntryPointSaturates() throws Exception {
        EventThread group = Loops.builder("d15-durations").build().start();
        try {
            EventLoop loop = group.next();
            LoopFuture<Void> sleep = loop.sleep(HUGE);
            assertThat(loop.callLater(HUGE, () -> { }).isCancelled()).isFalse();
            LoopFuture<String> timed = loop.timeout(loop.submit(() -> "in time"), HUGE);
            assertThat(timed.get(10, TimeUnit.SECONDS)).isEqualTo("in time");
            LoopEvent event = new LoopEvent(loop);
            event.set();
            assertThat(event.await(HUGE)).isTrue();
            LoopQueue<String> queue = LoopQueue.unbounded(loop);
            assertThat(queue.offer("x", HUGE)).isTrue();
            assertThat(queue.poll(HUGE)).isEqualTo("x");
            ThreadInbox inbox = new ThreadInbox(loop);
            LoopFuture<Integer> reply = inbox.call(() -> 7);
            assertThat(inbox.process(HUGE)).isEqualTo(1);
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(sleep.isDone()).isFalse();
            ShutdownReport report = group.shutdownGracefully(HUGE).get(10, TimeUnit.SECONDS);
            // nothing holds the drain (nobody waits for the sleep): the huge timeout does not matter
            assertThat(report.duration()).as("%s", report).isLessThan(Duration.ofSeconds(5));
            assertThat(sleep).isDone();
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * A builder setting with a huge Duration builds a working group, or is rejected with a clear
     * {@link IllegalArgumentException} naming the range; an ArithmeticException from
     * {@code toNanos()} is neither.
     */
    @Test
    void builderDurationSettingsSaturateOrAreRejectedClearly() throws Exception {
        java.util.Map<String, UnaryOperator<EventThread.Builder>> settings = new java.util.LinkedHashMap<>();
        settings.put("shutdownTimeout", b -> b.shutdownTimeout(HUGE));
        settings.put("blockingKeepAlive", b -> b.blockingKeepAlive(HUGE));
        settings.put("slowCallbackThreshold", b -> b.slowCallbackThreshold(HUGE));
        settings.put("stuckThreshold", b -> b.stuckThreshold(HUGE));
        settings.put("watchdogInterval", b -> b.watchdogInterval(HUGE));
        settings.put("idleSpin", b -> b.idleSpin(HUGE));
        java.util.List<String> broken = new java.util.ArrayList<>();
        for (var setting : settings.entrySet()) {
            EventThread built = null;
            try {
                built = setting.getValue().apply(Loops.builder("d15-builder")).build().start();
                assertThat(built.next().submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            } catch (IllegalArgumentException clearError) {
                if (!clearError.getMessage().contains("expected")) {
                    broken.add(setting.getKey() + ": unclear " + clearError);
                }
            } catch (RuntimeException e) {
                broken.add(setting.getKey() + ": " + e);
            } finally {
                if (built != null) {
                    built.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
                }
            }
        }
        assertThat(broken).as("builder settings given Duration.ofSeconds(Long.MAX_VALUE, 999999999)").isEmpty();
    }

    private static Object await(LoopFuture<?> future, Duration timeout) {
        try {
            return future.await(timeout);
        } catch (Exception | Error e) {
            return e;
        }
    }
}

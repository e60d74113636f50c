package io.eventthread.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Seed 004's {@code AsyncService}: fetch and compute called from a plain thread, and what goes wrong. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    record Sum(int x, int y) {
    }

    private EventThread group;
    private EventLoop loop;
    private final AtomicReference<LoopFuture<String>> hanging = new AtomicReference<>();
    private LoopService service;

    @BeforeEach
    void start() {
        group = EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
        loop = group.next();
        service = LoopService.on(loop)
                .handle("fetch", String.class, url -> loop.sleep(Duration.ofMillis(20))
                        .thenApply(v -> Map.of("url", url, "data", "example")))
                .handle("compute", Sum.class, sum -> loop.sleep(Duration.ofMillis(10)).thenApply(v -> sum.x() + sum.y()))
                .handle("fail", String.class, message -> {
                    throw new IllegalStateException(message);
                })
                .handle("failLater", String.class, message -> loop.sleep(Duration.ofMillis(1)).thenApply(v -> {
                    throw new IllegalStateException(message);
                }))
                .handle("hang", Object.class, ignored -> {
                    LoopFuture<String> never = loop.newFuture();
                    hanging.set(never);
                    return never;
                })
                .handle("square", int.class, n -> CompletableStages.of(n * n))
                .build();
    }

    @AfterEach
    void stop() {
        group.close();
    }

    @Test
    void fetchAndComputeLikeTheSeed() throws Exception {
        Map<String, String> fetched = service.call("fetch", "https://api.example.com", WAIT);
        int computed = service.call("compute", new Sum(10, 20), WAIT);

        assertThat(fetched).containsEntry("url", "https://api.example.com").containsEntry("data", "example");
        assertThat(computed).isEqualTo(30);
    }

    @Test
    void unknownOperationNamesTheKnownOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> service.call("delete", "x", WAIT))
                .withMessage("no handler 'delete'; known: [fetch, compute, fail, failLater, hang, square]");
    }

    @Test
    void argumentOfTheWrongTypeIsRejectedOnTheCallersThread() {
        assertThatIllegalArgumentException().isThrownBy(() -> service.call("compute", 42, WAIT))
                .withMessage("operation 'compute' takes Sum, got java.lang.Integer");
    }

    @Test
    void primitiveArgumentTypesMeanTheirWrappers() throws Exception {
        int squared = service.call("square", 7, WAIT);

        assertThat(squared).isEqualTo(49);
    }

    @Test
    void handlerThatThrowsComesBackAsTheCause() {
        assertThatThrownBy(() -> service.call("fail", "boom", WAIT)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void stageThatFailsComesBackAsTheCause() {
        Throwable thrown = catchThrowable(() -> service.call("failLater", "late boom", WAIT));

        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(rootCause(thrown)).isInstanceOf(IllegalStateException.class).hasMessage("late boom");
    }

    /**
     * A busy machine may hold the loop past a short timeout, so the handler may not have run yet
     * when the time runs out: then the cancelled submission must never run it. Both outcomes are
     * checked; the timeout doubles until the handler ran in time, so the cancellation of a
     * running handler's stage (the point of the test) is always seen.
     */
    @Test
    void timeoutCancelsTheLoopSideWork() throws Exception {
        for (Duration next = Duration.ofMillis(50); ; next = next.multipliedBy(2)) {
            Duration timeout = next;
            assertThat(timeout).as("the loop never ran the handler within a timeout").isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(() -> service.call("hang", null, timeout)).isInstanceOf(TimeoutException.class)
                    .hasMessage("operation 'hang' on loop 'test-1' did not complete within " + timeout + "; it was cancelled");
            loop.submit(() -> null).await(WAIT); // the loop has passed the cancelled submission
            LoopFuture<String> work = hanging.getAndSet(null);
            if (work == null) {
                continue; // cancelled before it ran, and it never did: try a longer timeout
            }
            assertThat(catchThrowable(() -> work.await(WAIT))).isInstanceOf(CancellationException.class);
            return;
        }
    }

    @Test
    void callOnTheLoopThreadFailsFast() throws Exception {
        LoopFuture<Object> onLoop = loop.submit(() -> service.call("compute", new Sum(1, 2), WAIT));

        assertThat(catchThrowable(() -> onLoop.await(WAIT))).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("callAsync()");
    }

    @Test
    void callAsyncWorksOnTheLoop() throws Exception {
        LoopFuture<Integer> onLoop = loop.submitAsync(() -> service.<Integer>callAsync("compute", new Sum(2, 3))
                .thenApply(sum -> sum * 10));

        assertThat(onLoop.await(WAIT)).isEqualTo(50);
    }

    @Test
    void duplicateOperationNamesAreRejected() {
        LoopService.Builder builder = LoopService.on(loop).handle("a", String.class, CompletableStages::of);

        assertThatIllegalArgumentException().isThrownBy(() -> builder.handle("a", String.class, CompletableStages::of))
                .withMessage("operation 'a' is already registered");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Completed stages for handlers that answer at once. */
    static final class CompletableStages {

        private CompletableStages() {
        }

        static <T> CompletionStage<T> of(T value) {
            return java.util.concurrent.CompletableFuture.completedStage(value);
        }
    }
}

package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The task decorator carries a submitter's ThreadLocal context into the loop and the blocking pool. */
@Timeout(20)
class TaskDecoratorTest {

    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    /** Captures the submitter's context at decoration, restores it around the run, as Spring's does. */
    private static final UnaryOperator<Runnable> PROPAGATE = task -> {
        String captured = CONTEXT.get();
        return () -> {
            String previous = CONTEXT.get();
            CONTEXT.set(captured);
            try {
                task.run();
            } finally {
                CONTEXT.set(previous);
            }
        };
    };

    private final EventThread group = TestLoops.builder("decorated").taskDecorator(PROPAGATE).build().start();
    private final EventLoop loop = group.next();

    @AfterEach
    void close() {
        CONTEXT.remove();
        group.close();
    }

    @Test
    void contextFlowsIntoEverySubmissionKind() throws Exception {
        CONTEXT.set("request-42");
        LoopFuture<String> viaSubmit = loop.submit(CONTEXT::get);
        LoopFuture<String> viaExecute = loop.newFuture();
        loop.execute(() -> viaExecute.complete(CONTEXT.get()));
        var viaTimer = loop.asExecutorService().schedule(CONTEXT::get, 5, TimeUnit.MILLISECONDS);
        LoopFuture<String> viaAsync = loop.submitAsync(() -> CompletableFuture.completedFuture(CONTEXT.get()));
        LoopFuture<String> viaBlocking = loop.runBlocking(CONTEXT::get);
        CONTEXT.remove();
        assertThat(viaSubmit.get(5, TimeUnit.SECONDS)).isEqualTo("request-42");
        assertThat(viaExecute.get(5, TimeUnit.SECONDS)).isEqualTo("request-42");
        assertThat(viaTimer.get(5, TimeUnit.SECONDS)).isEqualTo("request-42");
        assertThat(viaAsync.get(5, TimeUnit.SECONDS)).isEqualTo("request-42");
        assertThat(viaBlocking.get(5, TimeUnit.SECONDS)).isEqualTo("request-42");
        assertThat(loop.submit(CONTEXT::get).get()).as("loop thread left clean").isNull();
    }

    @Test
    void contextFlowsFromALoopTaskOnIntoTheBlockingPool() throws Exception {
        CONTEXT.set("outer");
        LoopFuture<String> nested = loop.submitAsync(() -> loop.runBlocking(CONTEXT::get));
        CONTEXT.remove();
        assertThat(nested.get(5, TimeUnit.SECONDS)).isEqualTo("outer");
    }

    @Test
    void checkedExceptionsStillTravelThroughTheFuture() {
        LoopFuture<Object> failing = loop.submit(() -> {
            throw new java.io.IOException("disk full");
        });
        assertThat(catchThrowable(() -> failing.get(5, TimeUnit.SECONDS))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(java.io.IOException.class).hasMessage("disk full");
    }

    @Test
    void periodicTasksRunInTheirSubmittersContextEveryTime() throws Exception {
        CONTEXT.set("ticker");
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
        var periodic = loop.asExecutorService().scheduleAtFixedRate(() -> {
            seen.add(CONTEXT.get());
            three.countDown();
        }, 0, 2, TimeUnit.MILLISECONDS);
        CONTEXT.remove();
        assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
        periodic.cancel(false);
        assertThat(seen).allMatch("ticker"::equals);
        assertThat(Duration.ofMillis(seen.size())).isPositive();
    }

    @Test
    void loopSideContinuationsOfTheLibrarysFuturesRunInTheSubmittersContext() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        // hold the loop and the blocking call so every continuation is attached before completion
        loop.execute(() -> {
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<String> inner = new CompletableFuture<>();
        CONTEXT.set("request-7");
        LoopFuture<String> submitted = loop.submit(() -> "v");
        LoopFuture<String> blocking = loop.runBlocking(() -> {
            gate.await(5, TimeUnit.SECONDS);
            return "v";
        });
        LoopFuture<String> async = loop.submitAsync(() -> inner);
        CONTEXT.remove();
        CompletableFuture<String> afterSubmit = submitted.thenApply(v -> CONTEXT.get());
        CompletableFuture<String> afterBlocking = blocking.thenApply(v -> Thread.currentThread().getName() + ":" + CONTEXT.get());
        CompletableFuture<String> afterBlockingAsync = blocking.thenApplyAsync(v -> CONTEXT.get());
        CompletableFuture<String> afterAsync = async.thenApply(v -> CONTEXT.get());
        gate.countDown();
        // the inner stage completes on a plain thread with no context; the future completes on the loop.
        // No get() on the futures themselves: a thread waiting in get() may run their dependents.
        inner.complete("v");
        assertThat(afterSubmit.get(5, TimeUnit.SECONDS)).isEqualTo("request-7");
        assertThat(submitted).isCompletedWithValue("v");
        assertThat(afterBlocking.get(5, TimeUnit.SECONDS)).isEqualTo(loop.name() + ":request-7");
        assertThat(afterBlockingAsync.get(5, TimeUnit.SECONDS)).isEqualTo("request-7");
        assertThat(afterAsync.get(5, TimeUnit.SECONDS)).isEqualTo("request-7");
        assertThat(loop.submit(CONTEXT::get).get(5, TimeUnit.SECONDS)).as("loop thread left clean").isNull();
    }
}

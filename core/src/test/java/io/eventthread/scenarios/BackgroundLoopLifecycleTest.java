package io.eventthread.scenarios;

import static io.eventthread.scenarios.ScenarioSupport.STOP;
import static io.eventthread.scenarios.ScenarioSupport.WAIT;
import static io.eventthread.scenarios.ScenarioSupport.report;
import static io.eventthread.scenarios.ScenarioSupport.started;
import static io.eventthread.scenarios.ScenarioSupport.threadName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopState;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loop in a background thread, used as a Python {@code ThreadedEventLoop} would be: start and
 * stop, try-with-resources, running a coroutine-like task and blocking work, thread safety, and
 * errors delivered through the returned future.
 */
@Timeout(10)
class BackgroundLoopLifecycleTest {

    /**
     * Seed 000, "Basic Usage": {@code tel.start(); future = tel.run_coroutine(my_coroutine());
     * future.result() == "Hello, World!"; tel.stop()}.
     */
    @Test
    void basicUsageStartRunCoroutineResultStop() throws Exception {
        EventThread tel = started("seed000-basic", 1);
        EventLoop loop = tel.next();
        AtomicReference<String> ranOn = new AtomicReference<>();

        LoopFuture<String> future = loop.submitAsync(() -> {
            ranOn.set(threadName());
            return loop.sleep(Duration.ofMillis(100)).thenApply(ignored -> "Hello, World!");
        });

        assertThat(future.await(WAIT)).isEqualTo("Hello, World!");
        assertThat(ranOn.get()).isEqualTo("seed000-basic-1").isNotEqualTo(threadName());
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);

        ShutdownReport stopped = report(tel.shutdownGracefully(STOP));

        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(stopped.tasksCancelled()).isZero();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(tel.isTerminated()).isTrue();
    }

    /**
     * Seed 000, "Basic Usage", {@code stop()}: "Stop the event loop and wait for the thread to
     * finish" — after close the loop thread has ended and is not a daemon while it runs.
     */
    @Test
    void stopWaitsForTheLoopThreadToFinish() throws Exception {
        EventThread tel = started("seed000-stop", 1);
        Thread loopThread = tel.next().submit(Thread::currentThread).await(WAIT);
        assertThat(loopThread.isDaemon()).isFalse();
        assertThat(loopThread.isAlive()).isTrue();

        tel.close();

        assertThat(tel.isTerminated()).isTrue();
        loopThread.join(WAIT.toMillis());
        assertThat(loopThread.isAlive()).isFalse();
    }

    /**
     * Seed 000, "Using as a Context Manager": {@code with ThreadedEventLoop() as tel: future =
     * tel.run_coroutine(my_coroutine()); future.result()} — try-with-resources stops the loop.
     */
    @Test
    void contextManagerIsTryWithResources() throws Exception {
        EventThread escaped;
        EventLoop loop;
        try (EventThread tel = started("seed000-with", 1)) {
            escaped = tel;
            loop = tel.next();
            LoopFuture<String> future = loop.submitAsync(
                    () -> loop.sleep(Duration.ofMillis(100)).thenApply(ignored -> "Hello, World! from " + threadName()));
            assertThat(future.await(WAIT)).isEqualTo("Hello, World! from seed000-with-1");
        }
        assertThat(escaped.isTerminated()).isTrue();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(report(escaped.terminationFuture()).outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
    }

    /**
     * Seed 000, "Running a Synchronous Function": {@code tel.run_in_executor(slow_function, 2)}
     * returns "Slept for 2 seconds" — the blocking call runs off the loop thread, and its future
     * completes on the loop.
     */
    @Test
    void runInExecutorRunsBlockingFunctionOffTheLoop() throws Exception {
        try (EventThread tel = started("seed000-exec", 1)) {
            EventLoop loop = tel.next();
            AtomicReference<String> sleptOn = new AtomicReference<>();
            AtomicReference<String> completedOn = new AtomicReference<>();
            CountDownLatch chained = new CountDownLatch(1);

            LoopFuture<String> future = loop.runBlocking(() -> {
                sleptOn.set(threadName());
                chained.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(200);
                return "Slept for 0.2 seconds";
            });
            CompletableFuture<String> seen = future.thenApply(r -> {
                completedOn.set(threadName());
                return r;
            });
            chained.countDown();

            // wait on the dependent stage only: a thread blocked on `future` itself may run its
            // plain continuations (CompletableFuture waiters help complete dependents)
            assertThat(seen.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("Slept for 0.2 seconds");
            assertThat(future).isCompletedWithValue("Slept for 0.2 seconds");
            assertThat(sleptOn.get()).startsWith("seed000-exec-blocking").isNotEqualTo(loop.name());
            assertThat(completedOn.get()).isEqualTo(loop.name());
        }
    }

    /**
     * Seed 000, "Thread Safety and Best Practices" 1 and 4: {@code run_coroutine} and
     * {@code run_in_executor} may be called from any thread; the coroutines all run in the loop's
     * thread, so loop-confined state needs no lock.
     */
    @Test
    void runCoroutineIsThreadSafeFromAnyThread() throws Exception {
        try (EventThread tel = started("seed000-any", 1)) {
            EventLoop loop = tel.next();
            List<String> confined = new ArrayList<>(); // touched only on the loop thread
            int callers = 4;
            int perCaller = 250;
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<List<LoopFuture<String>>>> submitted = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                submitted.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    List<LoopFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perCaller; i++) {
                        String item = caller + ":" + i;
                        mine.add(loop.submitAsync(() -> {
                            confined.add(item);
                            return CompletableFuture.completedFuture(threadName());
                        }));
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (CompletableFuture<List<LoopFuture<String>>> s : submitted) {
                for (LoopFuture<String> f : s.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    assertThat(f.await(WAIT)).isEqualTo("seed000-any-1");
                }
            }
            int size = loop.submit(confined::size).await(WAIT);
            assertThat(size).isEqualTo(callers * perCaller);
            // per submitting thread, submission order is kept
            List<String> snapshot = loop.submit(() -> List.copyOf(confined)).await(WAIT);
            for (int c = 0; c < callers; c++) {
                String prefix = c + ":";
                assertThat(snapshot.stream().filter(s -> s.startsWith(prefix)).toList())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perCaller)
                                .mapToObj(i -> prefix + i).toList());
            }
        }
    }

    /**
     * Seed 000, "Note on Error Handling": {@code try: future.result() except Exception as e} —
     * a coroutine's failure is captured in the returned future, and the loop keeps running.
     */
    @Test
    void coroutineErrorsComeBackThroughTheFuture() throws Exception {
        try (EventThread tel = started("seed000-err", 1)) {
            EventLoop loop = tel.next();

            LoopFuture<String> failedStage = loop.submitAsync(() -> loop.sleep(Duration.ofMillis(20))
                    .thenApply(ignored -> {
                        throw new IllegalArgumentException("boom in stage");
                    }));
            LoopFuture<String> failedSupplier = loop.submitAsync(() -> {
                throw new IllegalStateException("boom in supplier");
            });

            assertThatThrownBy(() -> failedStage.await(WAIT))
                    .isInstanceOf(CompletionException.class)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("boom in stage");
            assertThatThrownBy(failedSupplier::get)
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom in supplier");
            assertThat(failedStage.isCompletedExceptionally()).isTrue();
            assertThat(failedSupplier.isCompletedExceptionally()).isTrue();

            assertThat(loop.submit(() -> "still running").await(WAIT)).isEqualTo("still running");
        }
    }

    /**
     * Seed 000, "Note on Error Handling" for {@code run_in_executor}: an exception raised by the
     * synchronous function comes back through its future.
     */
    @Test
    void executorErrorsComeBackThroughTheFuture() throws Exception {
        try (EventThread tel = started("seed000-exec-err", 1)) {
            EventLoop loop = tel.next();
            LoopFuture<String> future = loop.runBlocking(() -> {
                throw new java.io.IOException("disk on fire");
            });

            assertThatThrownBy(() -> future.await(WAIT))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(java.io.IOException.class).hasMessage("disk on fire");
            assertThat(loop.runBlocking(() -> "next one works").await(WAIT)).isEqualTo("next one works");
        }
    }

    // ---------------------------------------------------------------- regressions: engine defects these seeds found

    /**
     * Seed 000, "Thread Safety and Best Practices" 4: "coroutines scheduled with run_coroutine run
     * in the separate thread" — and so do the plain continuations of the futures the loop hands
     * out (LoopFuture: "complete on the loop thread, so plain (non-async) continuations run there
     * too"), even while another thread is blocked waiting on the same future.
     */
    // Regression: a thread waiting in get/join/await runs the future's continuations (fixed in the engine).
    @Test
    void continuationsStayOnTheLoopWhileAnotherThreadWaits() throws Exception {
        try (EventThread tel = started("seed000-confined", 1)) {
            EventLoop loop = tel.next();
            java.util.Set<String> continuationThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 200; i++) {
                LoopFuture<String> gate = loop.newFuture();
                LoopFuture<String> future = loop.submitAsync(() -> gate);
                CompletableFuture<String> continuation = future.thenApply(v -> {
                    continuationThreads.add(threadName());
                    return v;
                });
                assertThat(future).isNotDone();
                loop.callLater(Duration.ofMillis(1), () -> gate.complete("value"));

                assertThat(future.await(WAIT)).isEqualTo("value");
                assertThat(continuation.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("value");
            }
            assertThat(continuationThreads).containsOnly("seed000-confined-1");
        }
    }

    /**
     * Seed 000, {@code stop()}: "Stop the event loop and wait for the thread to finish" (seed 001
     * and 004 {@code join()} the thread too) — once close() returns, the loop thread has ended.
     */
    // Regression: close() returns on termination while the loop thread is still alive (fixed in the engine).
    @Test
    void closeWaitsForTheLoopThreadToFinish() throws Exception {
        List<String> stillAlive = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EventThread tel = started("seed000-join" + i, 1);
            Thread loopThread = tel.next().submit(Thread::currentThread).await(WAIT);

            tel.close();

            if (loopThread.isAlive()) {
                stillAlive.add(loopThread.getName());
            }
            loopThread.join(WAIT.toMillis());
        }
        assertThat(stillAlive).as("loop threads alive right after close()").isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

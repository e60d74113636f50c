package io.eventthread.scenarios;

import io.eventthread.bridge.ThreadInbox;
import static io.eventthread.scenarios.ScenarioSupport.STOP;
import static io.eventthread.scenarios.ScenarioSupport.WAIT;
import static io.eventthread.scenarios.ScenarioSupport.builder;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker patterns built on loops: a loop in its own thread, a worker with start/submit/stop, the
 * thread check, a graceful runner, a blocking service facade, round robin over several loops, a
 * process-wide helper, and the common mistakes (blocking waits on the loop are refused). The GUI
 * integration is covered by the ThreadInbox tests.
 */
@Timeout(10)
class WorkerPatternsTest {

    /**
     * Seed 004, "Базовый пример: event loop в потоке": {@code future =
     * asyncio.run_coroutine_threadsafe(async_task("test"), loop); future.result(timeout=5)} ==
     * "Результат test", then {@code loop.call_soon_threadsafe(loop.stop); loop_thread.join()}.
     */
    @Test
    void basicLoopInAThread() throws Exception {
        EventThread group = started("seed004-basic", 1);
        EventLoop loop = group.next();
        List<String> printed = Collections.synchronizedList(new ArrayList<>());
        Thread loopThread = loop.submit(Thread::currentThread).await(WAIT);

        LoopFuture<String> future = loop.submitAsync(() -> asyncTask(loop, "test", printed));

        assertThat(future.await(WAIT)).isEqualTo("Результат test");
        assertThat(printed).containsExactly("Async задача test начата on seed004-basic-1",
                "Async задача test завершена on seed004-basic-1");
        group.close();
        loopThread.join(WAIT.toMillis());
        assertThat(loopThread.isAlive()).isFalse();
    }

    /**
     * Seed 004, "Класс-обёртка для async worker'а": {@code AsyncWorker} — submit before start
     * fails ("Worker не запущен"), two {@code fetch_data} coroutines run concurrently on the one
     * worker thread, and {@code stop()} ends it within its join timeout.
     */
    @Test
    void asyncWorkerStartSubmitStop() throws Exception {
        EventThread worker = builder("seed004-worker").build();
        EventLoop loop = worker.next();
        assertThatThrownBy(() -> loop.submitAsync(() -> fetchData(loop, "early", new ArrayList<>())))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("not been started");

        worker.start();
        worker.start(); // unlike the seed's RuntimeError("Worker уже запущен"), a second start is a no-op
        List<String> events = new ArrayList<>(); // loop-confined
        LoopFuture<Map<String, String>> future1 = loop.submitAsync(
                () -> fetchData(loop, "https://api.example.com/users", events));
        LoopFuture<Map<String, String>> future2 = loop.submitAsync(
                () -> fetchData(loop, "https://api.example.com/posts", events));

        assertThat(future1.await(WAIT)).isEqualTo(Map.of("url", "https://api.example.com/users", "status", "ok"));
        assertThat(future2.await(WAIT)).isEqualTo(Map.of("url", "https://api.example.com/posts", "status", "ok"));
        assertThat(loop.submit(() -> List.copyOf(events)).await(WAIT)).containsExactly(
                "start https://api.example.com/users", "start https://api.example.com/posts",
                "end https://api.example.com/users", "end https://api.example.com/posts");

        long before = System.nanoTime();
        ShutdownReport stopped = worker.shutdownGracefully(STOP).get(5, TimeUnit.SECONDS); // join(timeout=5)

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThatThrownBy(() -> loop.submitAsync(() -> fetchData(loop, "late", new ArrayList<>())))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Seed 004, "Проверка текущего потока" and {@code run_from_another_thread(loop)}: the coroutine
     * runs in the loop's thread, not the submitter's, and another plain thread gets its result with
     * {@code run_coroutine_threadsafe(...).result(timeout=5)}.
     */
    @Test
    void coroutineRunsOnTheLoopThreadNotTheCaller() throws Exception {
        try (EventThread group = started("seed004-check", 1)) {
            EventLoop loop = group.next();
            CompletableFuture<String> fromAnotherThread = new CompletableFuture<>();
            Thread other = new Thread(() -> {
                try {
                    String caller = threadName();
                    fromAnotherThread.complete(loop.submitAsync(() -> {
                        String where = threadName() + (loop.inEventLoop() ? " in loop" : " outside")
                                + (threadName().equals(caller) ? " same" : " separate");
                        return loop.sleep(Duration.ofMillis(50)).thenApply(v -> where + " done");
                    }).await(Duration.ofSeconds(5)));
                } catch (Throwable t) {
                    fromAnotherThread.completeExceptionally(t);
                }
            }, "seed004-other-thread");
            other.start();

            assertThat(fromAnotherThread.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("seed004-check-1 in loop separate done");
        }
    }

    /**
     * Seed 004, {@code future.result(timeout=5)} in every example, and its loop-side twin
     * {@code asyncio.wait_for}: the caller's timed wait gives up with TimeoutException and leaves
     * the task running; {@code loop.timeout} fails the awaited work with TimeoutException and
     * cancels it.
     */
    @Test
    void resultWithTimeoutAndWaitFor() throws Exception {
        try (EventThread group = started("seed004-timeout", 1)) {
            EventLoop loop = group.next();
            LoopFuture<String> gate = loop.newFuture();
            LoopFuture<String> task = loop.submitAsync(() -> gate.thenApply(v -> v + " on " + threadName()));

            assertThatThrownBy(() -> task.await(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(task).isNotDone();
            loop.callSoon(() -> gate.complete("late but fine")); // call_soon_threadsafe(fut.set_result, ...)
            assertThat(task.await(WAIT)).isEqualTo("late but fine on seed004-timeout-1");

            AtomicReference<LoopFuture<Void>> slow = new AtomicReference<>();
            LoopFuture<Void> waited = loop.submitAsync(() -> {
                slow.set(loop.sleep(Duration.ofSeconds(30)));
                return loop.timeout(slow.get(), Duration.ofMillis(100));
            });

            assertThatThrownBy(() -> waited.await(WAIT)).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
            // "fails ... and then cancels": by the next loop turn the awaited sleep is cancelled
            assertThat(loop.submit(() -> slow.get().isCancelled() + "/" + loop.stats().pendingTimers()).await(WAIT))
                    .isEqualTo("true/0");
        }
    }

    /**
     * Seed 004, "Отмена задач при остановке": {@code GracefulAsyncRunner} with two
     * {@code long_running_task}s (ten steps of {@code asyncio.sleep}) — the shutdown cancels what
     * is still pending, each task sees its cancellation ("отменена"), and the stop returns within
     * its timeout plus a short grace.
     */
    @Test
    void gracefulRunnerCancelsPendingTasksWithinTimeout() throws Exception {
        EventThread runner = started("seed004-graceful", 1);
        EventLoop loop = runner.next();
        List<String> printed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoStepsEach = new CountDownLatch(4);
        LoopFuture<Void> a = loop.submitAsync(() -> longRunningTask(loop, "A", 0, printed, twoStepsEach));
        LoopFuture<Void> b = loop.submitAsync(() -> longRunningTask(loop, "B", 0, printed, twoStepsEach));
        // "time.sleep(3)": let them work a little; they still have over a second of steps to go
        assertThat(twoStepsEach.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        Duration timeout = Duration.ofMillis(300);
        long before = System.nanoTime();
        ShutdownReport stopped = report(runner.shutdownGracefully(timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.CANCELLED);
        assertThat(took).as("timeout + 200 ms grace + slack").isLessThan(timeout.plusMillis(200 + 300));
        assertThat(stopped.duration()).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusMillis(200 + 300));
        assertThat(a).isCancelled();
        assertThat(b).isCancelled();
        assertThatThrownBy(() -> a.await(WAIT)).isInstanceOf(CancellationException.class);
        assertThat(printed).contains("Задача A: отменена", "Задача B: отменена")
                .doesNotContain("Задача A: шаг 9", "Задача B: шаг 9");
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    /**
     * Seed 004, "Паттерн: Async Service": {@code service.call("fetch", url=...)} and
     * {@code service.call("compute", x=10, y=20)} — a synchronous call dispatched to an async
     * method on the loop, its response handed back through a per-request queue; an unknown method
     * comes back as an error.
     */
    @Test
    void asyncServiceCallsAsyncMethodsSynchronously() throws Exception {
        try (EventThread group = started("seed004-service", 1)) {
            AsyncService service = new AsyncService(group.next());

            assertThat(service.call("fetch", Map.of("url", "https://api.example.com")))
                    .isEqualTo(Map.of("url", "https://api.example.com", "data", "example",
                            "thread", "seed004-service-1"));
            assertThat(service.call("compute", Map.of("x", 10, "y", 20))).isEqualTo(30);
            assertThatThrownBy(() -> service.call("explode", Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessage("Unknown method: explode");
            assertThat(service.pendingRequests()).isZero();
        }
    }

    /**
     * Seed 004, "Множественные event loops": {@code MultiLoopManager(num_loops=3)} with nine
     * {@code task(f"T{i}", 1)} submitted round robin — each result names the loop thread it ran
     * in, the tasks cycle through the loops in order, and each loop gets exactly three.
     */
    @Test
    void multiLoopManagerRoundRobin() throws Exception {
        try (EventThread manager = started("seed004-AsyncLoop", 3)) {
            List<LoopFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                EventLoop loop = manager.next();
                String name = "T" + i;
                futures.add(loop.submitAsync(() -> loop.sleep(Duration.ofMillis(100))
                        .thenApply(v -> "Task " + name + " completed in " + threadName())));
            }

            List<String> results = new ArrayList<>();
            for (LoopFuture<String> future : futures) {
                results.add(future.await(WAIT));
            }

            for (int i = 0; i < 9; i++) {
                assertThat(results.get(i)).isEqualTo("Task T" + i + " completed in "
                        + manager.loops().get(i % 3).name());
            }
            Map<String, Long> perLoop = results.stream().collect(Collectors.groupingBy(
                    r -> r.substring(r.lastIndexOf(' ') + 1), Collectors.counting()));
            assertThat(perLoop).containsOnly(Map.entry("seed004-AsyncLoop-1", 3L),
                    Map.entry("seed004-AsyncLoop-2", 3L), Map.entry("seed004-AsyncLoop-3", 3L));
        }
    }

    /**
     * Seed 004, "Рекомендуемый паттерн": the {@code AsyncHelper} singleton —
     * {@code async_helper.run(some_async_function())} from many threads uses one loop; called from
     * a coroutine on that loop, its blocking {@code future.result()} would deadlock in Python and
     * is refused here.
     */
    @Test
    void asyncHelperSingleton() throws Exception {
        try (AsyncHelper helper = AsyncHelper.instance()) {
            int groupsBefore = helper.groupsCreated();
            List<CompletableFuture<String>> callers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                callers.add(CompletableFuture.supplyAsync(() -> AsyncHelper.instance().run(
                        loop -> loop.sleep(Duration.ofMillis(20)).thenApply(v -> n + "@" + threadName()))));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(callers.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isEqualTo(i + "@seed004-helper-1");
            }
            assertThat(helper.groupsCreated() - groupsBefore).as("one loop for all callers").isEqualTo(1);

            String nested = helper.run(loop -> {
                try {
                    return CompletableFuture.completedFuture(
                            helper.run(inner -> CompletableFuture.completedFuture("unreachable")));
                } catch (IllegalStateException refused) {
                    return CompletableFuture.completedFuture("refused: " + refused.getClass().getSimpleName());
                }
            });
            assertThat(nested).isEqualTo("refused: BlockingOperationException");
        }
    }

    /**
     * Seed 004, "Распространённые ошибки" 5: "Блокирующие вызовы в async коде — выносите их в
     * to_thread()" — a blocking wait on a loop future from its own loop thread fails fast with
     * IllegalStateException (get, get with timeout, join, await) instead of deadlocking; the same
     * wait inside {@code runBlocking} works.
     */
    @Test
    void blockingWaitOnTheLoopThreadIsRefused() throws Exception {
        try (EventThread group = started("seed004-mistake", 1)) {
            EventLoop loop = group.next();
            List<Function<LoopFuture<String>, Object>> waits = List.of(
                    f -> uncheck(f::get),
                    f -> uncheck(() -> f.get(1, TimeUnit.SECONDS)),
                    LoopFuture::join,
                    f -> uncheck(() -> f.await(Duration.ofSeconds(1))));

            List<String> outcomes = loop.submit(() -> {
                List<String> seen = new ArrayList<>();
                for (Function<LoopFuture<String>, Object> wait : waits) {
                    LoopFuture<String> pending = loop.newFuture();
                    try {
                        seen.add("returned " + wait.apply(pending));
                    } catch (IllegalStateException refused) {
                        seen.add(refused.getClass().getSimpleName());
                    }
                    pending.complete("late");
                }
                return seen;
            }).await(WAIT);

            assertThat(outcomes).containsExactly("BlockingOperationException", "BlockingOperationException",
                    "BlockingOperationException", "BlockingOperationException");

            String viaRunBlocking = loop.submitAsync(() -> {
                LoopFuture<String> value = loop.newFuture();
                loop.callLater(Duration.ofMillis(50), () -> value.complete("value"));
                return loop.runBlocking(() -> value.get(5, TimeUnit.SECONDS) + " on " + threadName());
            }).await(WAIT);
            assertThat(viaRunBlocking).startsWith("value on seed004-mistake-blocking");

            String alreadyDone = loop.submit(() -> {
                LoopFuture<String> done = loop.newFuture();
                done.complete("done");
                return done.get() + "," + done.join() + "," + done.await(Duration.ZERO);
            }).await(WAIT);
            assertThat(alreadyDone).as("waiting on a future that is already done is fine").isEqualTo("done,done,done");
        }
    }

    /**
     * Seed 004, "Распространённые ошибки" 3: "Прямой вызов async функций из другого потока —
     * используйте run_coroutine_threadsafe()" — state confined to the loop, updated only through
     * submissions from many threads, needs no lock and loses no update.
     */
    @Test
    void otherThreadsGoThroughTheLoop() throws Exception {
        try (EventThread group = started("seed004-confined", 1)) {
            EventLoop loop = group.next();
            int[] counter = {0}; // loop-confined, no lock
            int threads = 4;
            int perThread = 500;
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                producers.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        loop.execute(() -> counter[0]++);
                    }
                }));
            }
            go.countDown();
            CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);

            assertThat(loop.submit(() -> counter[0]).await(WAIT)).isEqualTo(threads * perThread);
        }
    }

    /**
     * Seed 004, "Распространённые ошибки" 1, 2 and 4, and best practice 2 ("Используйте
     * daemon-потоки"): each loop is its own (the loop is "current" only on its thread), loop
     * threads are deliberately non-daemon as in seed 001 while the blocking pool's are daemon, and
     * stopping at exit releases what was pending.
     */
    @Test
    void loopIdentityDaemonThreadsAndCleanupAtExit() throws Exception {
        EventThread group = started("seed004-exit", 1);
        EventLoop loop = group.next();
        assertThat(loop.inEventLoop()).isFalse();
        assertThat(loop.submit(() -> loop.inEventLoop() && loop.group() == group).await(WAIT)).isTrue();
        assertThat(loop.submit(() -> Thread.currentThread().isDaemon()).await(WAIT)).isFalse();
        assertThat(loop.runBlocking(() -> Thread.currentThread().isDaemon()).await(WAIT)).isTrue();
        LoopFuture<String> neverCompleted = loop.newFuture();

        group.close();

        assertThat(neverCompleted).isCancelled();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    // ---------------------------------------------------------------- regressions: engine defects these seeds found

    /**
     * Seed 004, "Распространённые ошибки" 5 (blocking calls in async code): the executor methods
     * that wait for tasks refuse to run on a loop thread, where the tasks they wait for could never
     * run — invokeAll does, and invokeAny must too rather than deadlock the loop.
     */
    // Regression: invokeAny on a loop thread deadlocks instead of throwing (fixed in the engine).
    @Test
    void invokeAnyOnTheLoopThreadIsRefusedLikeInvokeAll() throws Exception {
        try (EventThread group = started("seed004-invoke", 1)) {
            EventLoop loop = group.next();
            List<java.util.concurrent.Callable<String>> tasks = List.of(() -> "x");

            String invokeAll = loop.submit(() -> {
                try {
                    return "returned " + loop.asExecutorService().invokeAll(tasks).size();
                } catch (IllegalStateException refused) {
                    return "refused";
                }
            }).await(WAIT);
            LoopFuture<String> invokeAny = loop.submit(() -> {
                try {
                    return "returned " + loop.asExecutorService().invokeAny(tasks);
                } catch (IllegalStateException refused) {
                    return "refused";
                }
            });
            String outcome;
            try {
                outcome = invokeAny.await(Duration.ofSeconds(2));
            } catch (TimeoutException blocked) {
                outcome = "deadlocked the loop";
            }

            assertThat(invokeAll).isEqualTo("refused");
            assertThat(outcome).isEqualTo("refused");
        }
    }

    // ---------------------------------------------------------------- seed code, in Java

    /** {@code async def async_task(name)}: prints, sleeps, returns "Результат name". */
    private static CompletionStage<String> asyncTask(EventLoop loop, String name, List<String> printed) {
        printed.add("Async задача " + name + " начата on " + threadName());
        return loop.sleep(Duration.ofMillis(100)).thenApply(v -> {
            printed.add("Async задача " + name + " завершена on " + threadName());
            return "Результат " + name;
        });
    }

    /** {@code async def fetch_data(url)}: a simulated request. */
    private static CompletionStage<Map<String, String>> fetchData(EventLoop loop, String url, List<String> events) {
        events.add("start " + url);
        return loop.sleep(Duration.ofMillis(150)).thenApply(v -> {
            events.add("end " + url);
            return Map.of("url", url, "status", "ok");
        });
    }

    /** {@code async def long_running_task(name)}: ten steps, each a sleep, noting its cancellation. */
    private static CompletionStage<Void> longRunningTask(EventLoop loop, String name, int step, List<String> printed,
            CountDownLatch progress) {
        if (step == 10) {
            return CompletableFuture.completedFuture(null);
        }
        printed.add("Задача " + name + ": шаг " + step);
        progress.countDown();
        return loop.sleep(Duration.ofMillis(150))
                .thenCompose(v -> longRunningTask(loop, name, step + 1, printed, progress))
                .whenComplete((v, failure) -> {
                    if (step == 0 && failure != null && unwrap(failure) instanceof CancellationException) {
                        printed.add("Задача " + name + ": отменена");
                    }
                });
    }

    /** The seed's {@code AsyncService}: requests dispatched on the loop, responses through queues. */
    private static final class AsyncService {
        private record Response(Object result, String error) {
        }

        private final EventLoop loop;
        private final Map<String, BlockingQueue<Response>> responseQueues = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();

        AsyncService(EventLoop loop) {
            this.loop = loop;
        }

        Object call(String method, Map<String, Object> params) throws InterruptedException {
            String requestId = "req-" + ids.incrementAndGet();
            BlockingQueue<Response> responseQueue = new LinkedBlockingQueue<>();
            responseQueues.put(requestId, responseQueue);
            loop.submitAsync(() -> handleRequest(requestId, method, params));
            Response response = responseQueue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            responseQueues.remove(requestId);
            assertThat(response).as("response to %s", requestId).isNotNull();
            if (response.error() != null) {
                throw new IllegalStateException(response.error());
            }
            return response.result();
        }

        int pendingRequests() {
            return responseQueues.size();
        }

        private CompletionStage<Void> handleRequest(String requestId, String method, Map<String, Object> params) {
            CompletionStage<Object> handled;
            switch (method) {
                case "fetch" -> handled = loop.sleep(Duration.ofMillis(100)).thenApply(v -> Map.of(
                        "url", params.get("url"), "data", "example", "thread", threadName()));
                case "compute" -> handled = loop.sleep(Duration.ofMillis(50))
                        .thenApply(v -> (Integer) params.get("x") + (Integer) params.get("y"));
                default -> handled = CompletableFuture.failedFuture(
                        new IllegalArgumentException("Unknown method: " + method));
            }
            return handled.handle((result, failure) -> {
                Response response = failure == null ? new Response(result, null)
                        : new Response(null, unwrap(failure).getMessage());
                BlockingQueue<Response> queue = responseQueues.get(requestId);
                if (queue != null) {
                    queue.add(response);
                }
                return null;
            });
        }
    }

    /** The seed's {@code AsyncHelper}: one lazily created loop for the process, run synchronously. */
    private static final class AsyncHelper implements AutoCloseable {
        private static final AsyncHelper INSTANCE = new AsyncHelper();

        private final AtomicInteger created = new AtomicInteger();
        private volatile EventThread group;

        static AsyncHelper instance() {
            return INSTANCE;
        }

        private EventThread group() {
            EventThread g = group;
            if (g == null) {
                synchronized (this) {
                    g = group;
                    if (g == null) {
                        created.incrementAndGet();
                        g = started("seed004-helper", 1);
                        group = g;
                    }
                }
            }
            return g;
        }

        <T> T run(Function<EventLoop, CompletionStage<T>> coroutine) {
            EventLoop loop = group().next();
            return loop.submitAsync(() -> coroutine.apply(loop)).join();
        }

        int groupsCreated() {
            return created.get();
        }

        /** Stops the loop; the next {@code run} starts a new one. */
        @Override
        public void close() {
            EventThread g;
            synchronized (this) {
                g = group;
                group = null;
            }
            if (g != null) {
                g.close();
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T uncheck(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}

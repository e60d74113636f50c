package io.eventthread.scenarios;

import io.eventthread.bridge.LoopQueue;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain threads and a loop working together: blocking work off the loop ({@code to_thread},
 * {@code run_in_executor}), worker threads feeding a loop ({@code call_soon_threadsafe}), and a
 * group used as a submit-and-stop service (graceful stop, done-callbacks). The image processor
 * built on a queue is covered by the LoopQueue tests.
 */
@Timeout(10)
class ThreadsAndLoopsTogetherTest {

    /**
     * Seed 001, "Running threads in an event loop": {@code asyncio.to_thread(process_image, image)}
     * in a TaskGroup, then {@code processed.append(await t)} — each image is processed on a pool
     * thread, results are collected in submission order, and awaiting happens on the loop.
     */
    @Test
    void toThreadProcessesImagesOffTheLoopAndKeepsOrder() throws Exception {
        try (EventThread tel = started("seed001-tothread", 1)) {
            EventLoop loop = tel.next();
            List<String> images = List.of("img0", "img1", "img2", "img3", "img4");
            List<String> processedOn = Collections.synchronizedList(new ArrayList<>());

            LoopFuture<List<String>> processed = loop.submitAsync(() -> {
                List<LoopFuture<String>> tasks = new ArrayList<>();
                for (String image : images) {
                    tasks.add(loop.runBlocking(() -> {
                        processedOn.add(threadName());
                        Thread.sleep(50);
                        return image.toUpperCase();
                    }));
                }
                return CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new))
                        .thenApply(ignored -> tasks.stream().map(CompletableFuture::join).toList());
            });

            assertThat(processed.await(WAIT)).containsExactly("IMG0", "IMG1", "IMG2", "IMG3", "IMG4");
            assertThat(processedOn).hasSize(5).allSatisfy(name -> assertThat(name)
                    .startsWith("seed001-tothread-blocking").isNotEqualTo(loop.name()));
        }
    }

    /**
     * Seed 001, {@code loop.run_in_executor(None, process_image, image)} then
     * {@code except BaseException: for fut in futures: fut.cancel()} — when one fails, the others
     * are cancelled, and cancelling a blocking future interrupts the work behind it.
     */
    @Test
    void runInExecutorGatherCancelsTheRestWhenOneFails() throws Exception {
        try (EventThread tel = started("seed001-gather", 1)) {
            EventLoop loop = tel.next();
            CountDownLatch blockersStarted = new CountDownLatch(2);
            CountDownLatch blockersInterrupted = new CountDownLatch(2);
            CountDownLatch never = new CountDownLatch(1);
            List<LoopFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                futures.add(loop.runBlocking(() -> {
                    blockersStarted.countDown();
                    try {
                        never.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        return "not interrupted";
                    } catch (InterruptedException e) {
                        blockersInterrupted.countDown();
                        throw e;
                    }
                }));
            }
            assertThat(blockersStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            futures.add(loop.runBlocking(() -> {
                throw new IllegalStateException("bad image");
            }));

            LoopFuture<List<String>> gathered = loop.submitAsync(() -> {
                // asyncio.gather: fails with the first failure, without waiting for the others
                LoopFuture<List<String>> all = loop.newFuture();
                futures.forEach(f -> f.whenComplete((v, failure) -> {
                    if (failure != null) {
                        all.completeExceptionally(failure);
                    }
                }));
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                        .thenRun(() -> all.complete(futures.stream().map(CompletableFuture::join).toList()));
                return all.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        futures.forEach(f -> f.cancel(true));
                    }
                });
            });

            assertThatThrownBy(() -> gathered.await(WAIT)).hasRootCauseMessage("bad image");
            assertThat(blockersInterrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(futures.subList(0, 2)).allSatisfy(f -> assertThat(f).isCancelled());
        }
    }

    /**
     * Seed 001, "You could also create your own ThreadPoolExecutor":
     * {@code await asyncio.wrap_future(executor.submit(process_image, image))} — a stage completed
     * by a foreign executor is mirrored by a loop future whose continuations run on the loop.
     */
    @Test
    void ownExecutorFutureIsWrappedIntoTheLoop() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "seed001-own-executor"));
        try (EventThread tel = started("seed001-wrap", 1)) {
            EventLoop loop = tel.next();
            AtomicReference<String> computedOn = new AtomicReference<>();
            AtomicReference<String> continuedOn = new AtomicReference<>();
            CountDownLatch chained = new CountDownLatch(1);

            LoopFuture<String> wrapped = loop.submitAsync(() -> CompletableFuture.supplyAsync(() -> {
                computedOn.set(threadName());
                try {
                    chained.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "processed";
            }, executor));
            CompletableFuture<String> next = wrapped.thenApply(r -> {
                continuedOn.set(threadName());
                return r + "!";
            });
            chained.countDown();

            assertThat(next.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("processed!");
            assertThat(computedOn.get()).isEqualTo("seed001-own-executor");
            assertThat(continuedOn.get()).isEqualTo(loop.name());
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Seed 001: "you should not run long-lived tasks on the default executor ... can at worst
     * saturate the executor" — a saturated blocking pool refuses further work through the future
     * instead of queueing it forever, and accepts work again once a thread is free.
     */
    @Test
    void longLivedTasksSaturateTheDefaultExecutor() throws Exception {
        try (EventThread tel = builder("seed001-saturate")
                .blockingMaxThreads(1).blockingQueueCapacity(0).build().start()) {
            EventLoop loop = tel.next();
            CountDownLatch longLivedStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            LoopFuture<String> longLived = loop.runBlocking(() -> {
                longLivedStarted.countDown();
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return "served";
            });
            assertThat(longLivedStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            LoopFuture<String> starved = loop.runBlocking(() -> "never runs");

            assertThatThrownBy(() -> starved.await(WAIT))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class).hasMessageContaining("saturated");
            release.countDown();
            assertThat(longLived.await(WAIT)).isEqualTo("served");
            // the future completes just before its pool thread is back at the hand-off queue, so
            // the pool accepts work again shortly after, not necessarily at once
            assertThat(runBlockingOnceAccepted(loop, () -> "runs again")).isEqualTo("runs again");
        }
    }

    /**
     * Seed 001, "Managing long-lived tasks": the {@code ImageProcessor} worker thread with a
     * {@code None} sentinel and {@code add_done_callback(lambda result:
     * loop.call_soon_threadsafe(queue.put_nowait, result))} — results produced on a plain thread
     * reach loop code on the loop thread, in order, through {@code callSoon}.
     */
    @Test
    void workerThreadFeedsTheLoopThroughCallSoon() throws Exception {
        try (EventThread tel = started("seed001-worker", 1)) {
            EventLoop loop = tel.next();
            List<String> receivedOnLoop = new ArrayList<>(); // loop-confined
            List<String> callbackThreads = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch allReceived = new CountDownLatch(5);

            try (ImageProcessor worker = new ImageProcessor()) {
                worker.addDoneCallback(result -> loop.callSoon(() -> {
                    callbackThreads.add(threadName());
                    receivedOnLoop.add(result);
                    allReceived.countDown();
                }));
                for (int i = 0; i < 5; i++) {
                    worker.submit("image " + i);
                }
                assertThat(allReceived.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            }

            assertThat(loop.submit(() -> List.copyOf(receivedOnLoop)).await(WAIT)).containsExactly(
                    "processed image 0", "processed image 1", "processed image 2", "processed image 3",
                    "processed image 4");
            assertThat(callbackThreads).containsOnly("seed001-worker-1");
        }
    }

    /**
     * Seed 001, {@code async def main(worker)}: {@code worker.submit(b"some image bytes");
     * result = await queue.get()} — a coroutine hands work to a plain thread and awaits the result,
     * delivered with {@code call_soon_threadsafe}; pairing each item with a loop future, as the
     * seed's closing comment suggests.
     */
    @Test
    void coroutineAwaitsAWorkerThreadResult() throws Exception {
        try (EventThread tel = started("seed001-await-worker", 1);
                ImageProcessor worker = new ImageProcessor()) {
            EventLoop loop = tel.next();
            AtomicReference<String> resumedOn = new AtomicReference<>();

            LoopFuture<String> result = loop.submitAsync(() -> {
                LoopFuture<String> reply = loop.newFuture();
                worker.addDoneCallback(r -> loop.callSoon(() -> reply.complete(r)));
                worker.submit("some image bytes");
                return reply.thenApply(r -> {
                    resumedOn.set(threadName());
                    return r;
                });
            });

            assertThat(result.await(WAIT)).isEqualTo("processed some image bytes");
            assertThat(resumedOn.get()).isEqualTo(loop.name());
        }
    }

    /**
     * Seed 001, quoting the asyncio docs: {@code loop.call_soon_threadsafe(fut.cancel)} — another
     * thread cancels a loop future by running the cancel on the loop.
     */
    @Test
    void callSoonThreadsafeCancelsALoopFuture() throws Exception {
        try (EventThread tel = started("seed001-cancel", 1)) {
            EventLoop loop = tel.next();
            LoopFuture<String> fut = loop.newFuture();
            AtomicReference<String> cancelledOn = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            fut.whenComplete((v, failure) -> {
                cancelledOn.set(threadName());
                done.countDown();
            });

            loop.callSoon(() -> fut.cancel(false));

            assertThat(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(fut).isCancelled();
            assertThat(cancelledOn.get()).isEqualTo(loop.name());
            assertThatThrownBy(() -> fut.await(WAIT)).isInstanceOf(CancellationException.class);
        }
    }

    /**
     * Seed 001, {@code call_soon_threadsafe} "sends one byte to a self-pipe which the selector is
     * listening on. That wakes up the event loop" — a callback offered to a parked, idle loop
     * (no spin, no timers) runs promptly.
     */
    @Test
    void callSoonWakesAParkedLoop() throws Exception {
        try (EventThread tel = builder("seed001-wake").idleSpin(Duration.ZERO)
                .build().start()) {
            EventLoop loop = tel.next();
            Thread loopThread = loop.submit(Thread::currentThread).await(WAIT);
            for (int round = 0; round < 5; round++) {
                awaitParked(loopThread);
                CountDownLatch ran = new CountDownLatch(1);
                loop.callSoon(ran::countDown);
                assertThat(ran.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("callback offered to a parked loop ran (round %d)", round).isTrue();
            }
        }
    }

    /**
     * Seed 001, "Running event loops in other threads": {@code fut = asyncio.run(new_fut());
     * asyncio.run(set_fut(fut))} fails with "Event loop is closed", while one
     * {@code asyncio.Runner} re-used for both calls works — here: a loop future outlives nothing;
     * it is cancelled when its loop terminates and the closed loop rejects further work, while one
     * running loop serves both steps and runs the done callback on the loop.
     */
    @Test
    void futuresAreTiedToTheirLoop() throws Exception {
        EventThread first = started("seed001-closed", 1);
        EventLoop closedLoop = first.next();
        LoopFuture<String> orphan = closedLoop.submit(() -> closedLoop.<String>newFuture()).await(WAIT);
        first.close();

        assertThat(orphan).isCancelled();
        assertThatThrownBy(() -> closedLoop.submit(() -> orphan.complete("Done!")))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("terminated");

        try (EventThread runner = started("seed001-runner", 1)) {
            EventLoop loop = runner.next();
            AtomicReference<String> callbackOn = new AtomicReference<>();
            LoopFuture<String> fut = loop.submit(() -> {
                LoopFuture<String> f = loop.newFuture();
                f.whenComplete((v, e) -> callbackOn.set("fut finished on " + threadName()));
                return f;
            }).await(WAIT);
            loop.submit(() -> fut.complete("Done!")).await(WAIT);

            assertThat(fut.await(WAIT)).isEqualTo("Done!");
            assertThat(callbackOn.get()).isEqualTo("fut finished on seed001-runner-1");
        }
    }

    /**
     * Seed 001, the first {@code EventThread}: {@code thread.start(); loop = thread.get_loop();
     * fut = asyncio.run_coroutine_threadsafe(func(), loop); fut.result() == 1234;
     * thread.stop()} — the printed lines appear in the seed's order.
     */
    @Test
    void eventThreadSubmitResultThenStop() throws Exception {
        List<String> printed = Collections.synchronizedList(new ArrayList<>());
        EventThread thread = started("seed001-func", 1);
        EventLoop loop = thread.next();

        LoopFuture<Integer> fut = loop.submitAsync(() -> loop.sleep(Duration.ofMillis(100)).thenApply(ignored -> {
            printed.add("Hello from event loop! (" + threadName() + ")");
            return 1234;
        }));
        printed.add("Main thread waiting on coroutine...");
        Integer result = fut.await(WAIT);
        printed.add("Main thread received: " + result);
        ShutdownReport stopped = report(thread.shutdownGracefully(STOP));
        printed.add("Event loop stopped");

        assertThat(result).isEqualTo(1234);
        assertThat(stopped.isGraceful()).isTrue();
        assertThat(printed).containsSubsequence("Hello from event loop! (seed001-func-1)",
                "Main thread received: 1234", "Event loop stopped");
        assertThat(printed).containsSubsequence("Main thread waiting on coroutine...", "Main thread received: 1234");
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    /**
     * Seed 001, {@code get_loop()} waits for the loop handed out through {@code _loop_fut}; here
     * the loops exist once built, reject work until started, and accept it once started.
     */
    @Test
    void loopIsUsableOnceStarted() throws Exception {
        EventThread thread = builder("seed001-start").build();
        EventLoop loop = thread.next();
        assertThat(loop.state()).isEqualTo(LoopState.NEW);
        assertThatThrownBy(() -> loop.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("not been started");

        try (EventThread same = thread.start()) {
            assertThat(same).isSameAs(thread);
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
            assertThat(loop.submit(() -> threadName()).await(WAIT)).isEqualTo("seed001-start-1");
        }
    }

    /**
     * Seed 001, the stop future: {@code self._stop_fut.set_result(None); self._thread.join()} with
     * the thread no longer {@code daemon=True} — a graceful stop lets the coroutine already
     * submitted finish, rejects new submissions, and the non-daemon loop thread then ends.
     */
    @Test
    void gracefulStopLetsSubmittedWorkFinish() throws Exception {
        EventThread thread = started("seed001-stopfut", 1);
        EventLoop loop = thread.next();
        Thread loopThread = loop.submit(Thread::currentThread).await(WAIT);
        assertThat(loopThread.isDaemon()).isFalse();
        CountDownLatch sleeping = new CountDownLatch(1);
        LoopFuture<Integer> fut = loop.submitAsync(() -> {
            sleeping.countDown();
            return loop.sleep(Duration.ofMillis(150)).thenApply(ignored -> 1234);
        });
        assertThat(sleeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<ShutdownReport> stopping = thread.shutdownGracefully(STOP);

        assertThat(thread.isShutdown()).isTrue();
        assertThatThrownBy(() -> thread.next().submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        ShutdownReport stopped = report(stopping);
        assertThat(fut.getNow(-1)).isEqualTo(1234);
        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(stopped.tasksCancelled()).isZero();
        assertThat(stopped.duration()).isLessThan(WAIT);
        loopThread.join(WAIT.toMillis());
        assertThat(loopThread.isAlive()).isFalse();
    }

    /**
     * Seed 001, the final class: {@code with EventThread() as thread:
     * thread.add_done_callback(lambda fut: print("Event loop stopped")); fut = thread.submit(func())}
     * — the done-callback runs once, when the loop has stopped, and receives the report.
     */
    @Test
    void addDoneCallbackRunsWhenTheLoopStops() throws Exception {
        List<String> printed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<ShutdownReport> received = new AtomicReference<>();
        AtomicReference<Boolean> terminatedInCallback = new AtomicReference<>();
        EventThread escaped;
        try (EventThread thread = started("seed001-done", 1)) {
            escaped = thread;
            thread.onTermination(report -> {
                calls.incrementAndGet();
                received.set(report);
                terminatedInCallback.set(thread.isTerminated());
                printed.add("Event loop stopped");
            });
            LoopFuture<Integer> fut = thread.next()
                    .submitAsync(() -> CompletableFuture.completedFuture(1234));
            printed.add("Main thread waiting on coroutine...");
            printed.add("Main thread received: " + fut.await(WAIT));
            assertThat(calls.get()).isZero();
        }

        assertThat(printed).containsExactly("Main thread waiting on coroutine...", "Main thread received: 1234",
                "Event loop stopped");
        assertThat(calls.get()).isEqualTo(1);
        assertThat(terminatedInCallback.get()).isTrue();
        assertThat(received.get()).isEqualTo(report(escaped.terminationFuture()));
        assertThat(received.get().outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
    }

    /**
     * Seed 001, "Caution: Callbacks added to concurrent.futures.Future will run on whichever
     * thread calls its set_result()" — a callback registered before the stop runs on the thread
     * that completes the termination; registered after, it runs at once on the caller.
     */
    @Test
    void doneCallbackThreads() throws Exception {
        String me = threadName();
        AtomicReference<String> before = new AtomicReference<>();
        CountDownLatch beforeRan = new CountDownLatch(1);
        EventThread thread = started("seed001-cbthread", 1);
        thread.onTermination(r -> {
            before.set(threadName());
            beforeRan.countDown();
        });

        thread.close();

        assertThat(beforeRan.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        // whichever thread completes the termination: the loop thread, or the thread that asked
        // for the stop when the loop finished before that thread had chained on its result
        assertThat(before.get()).isIn("seed001-cbthread-1", me);
        AtomicReference<String> after = new AtomicReference<>();
        thread.onTermination(r -> after.set(threadName()));
        assertThat(after.get()).isEqualTo(me);
    }

    /**
     * Seed 001: exiting the worker's context manager inside a coroutine "would block the event
     * loop" — closing (and waiting for) the group from its own loop is refused instead of
     * deadlocking, while starting a graceful stop from the loop works and returns a future.
     */
    @Test
    void stoppingFromInsideTheLoopDoesNotBlockIt() throws Exception {
        EventThread thread = started("seed001-inside", 1);
        EventLoop loop = thread.next();

        LoopFuture<Throwable> closeOnLoop = loop.submit(() -> {
            try {
                thread.close();
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });
        assertThat(closeOnLoop.await(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shutdownGracefully");
        assertThat(thread.isShutdown()).isFalse();

        LoopFuture<CompletableFuture<ShutdownReport>> stopOnLoop = loop.submit(() -> thread.shutdownGracefully(STOP));
        assertThat(report(stopOnLoop.await(WAIT)).outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    // ---------------------------------------------------------------- regressions: engine defects these seeds found

    /**
     * Seed 001, the stop future: {@code self._stop_fut.set_result(None); self._thread.join()} —
     * the stop reaches a loop that is idle (here still in its idle spin, as right after it served
     * a request) and it stops at once, rather than at the shutdown deadline.
     */
    // Regression: the shutdown's wake-up is lost while the loop spins or is about to park (fixed in the engine).
    @Test
    void stopReachesAnIdleLoopAtOnce() throws Exception {
        EventThread thread = builder("seed001-idle-stop").idleSpin(Duration.ofMillis(500))
                .shutdownTimeout(Duration.ofSeconds(3)).build().start();
        assertThat(thread.next().submit(() -> 1234).await(WAIT)).isEqualTo(1234);

        ShutdownReport stopped = report(thread.shutdownGracefully());

        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(stopped.duration()).as("an idle loop stops at once: %s", stopped).isLessThan(Duration.ofSeconds(1));
    }

    private static <T> T runBlockingOnceAccepted(EventLoop loop, java.util.concurrent.Callable<T> task)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return loop.runBlocking(task).await(WAIT);
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof RejectedExecutionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitParked(Thread loopThread) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (loopThread.getState() != Thread.State.WAITING && loopThread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - deadline).as("loop thread parked in time").isNegative();
            Thread.onSpinWait();
        }
    }

    /** The seed's synchronous {@code ImageProcessor}: a worker thread, a queue and a sentinel. */
    private static final class ImageProcessor implements AutoCloseable {
        private static final String SENTINEL = "\0stop";
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final List<Consumer<String>> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::runForever, "seed001-image-processor");

        ImageProcessor() {
            thread.start();
        }

        void addDoneCallback(Consumer<String> callback) {
            callbacks.add(callback);
        }

        void submit(String imageBytes) {
            queue.add(imageBytes);
        }

        private void runForever() {
            try {
                while (true) {
                    String item = queue.take();
                    if (SENTINEL.equals(item)) {
                        return;
                    }
                    String result = "processed " + item;
                    callbacks.forEach(c -> c.accept(result));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            queue.add(SENTINEL);
            thread.join(WAIT.toMillis());
        }
    }
}

package io.eventthread;

import io.eventthread.bridge.LoopQueue;
import io.eventthread.bridge.LoopEvent;
import io.eventthread.bridge.ThreadInbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cells of seed 003's {@code threaded_async} cookbook, in Java: each test is one cell, and
 * asserts what the cell printed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadedAsyncCookbookTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Written by the main thread before the event is set, read by the loop after: no volatile needed. */
    private Integer globalVar;

    private static EventThread startGroup() {
        return EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
    }

    /** "Deploying async code in the background": create_task(foo()) then wait() prints 10. */
    @Test
    void createTaskAndWait() throws Exception {
        try (EventThread runner = startGroup()) {
            EventLoop loop = runner.next();
            LoopFuture<Integer> backgroundTask = loop.submitAsync(
                    () -> loop.sleep(Duration.ofMillis(100)).thenApply(v -> 10));

            assertThat(backgroundTask.await(WAIT)).isEqualTo(10);
        }
    }

    /** "Using events": the loop waits for the main thread to initialise a global, then prints 11. */
    @Test
    void eventGuardsInitialisationOfAGlobal() throws Exception {
        try (EventThread runner = startGroup()) {
            EventLoop loop = runner.next();
            LoopEvent globalInitialized = new LoopEvent(loop);
            LoopFuture<Integer> backgroundTask = loop.submitAsync(() -> globalInitialized.awaitAsync().thenApply(v -> {
                assertThat(globalVar).isNotNull();
                return globalVar + 1;
            }));

            globalVar = 10;
            globalInitialized.set();

            assertThat(backgroundTask.await(WAIT)).isEqualTo(11);
        }
    }

    /** "Using queues": an increment worker on the loop between two queues prints 1 to 10. */
    @Test
    void incrementWorkerOverTwoQueues() throws Exception {
        try (EventThread runner = startGroup()) {
            EventLoop loop = runner.next();
            LoopQueue<Integer> inQueue = LoopQueue.unbounded(loop);
            LoopQueue<Integer> outQueue = LoopQueue.unbounded(loop);
            LoopFuture<Void> backgroundTask = loop.newFuture();
            loop.execute(() -> incrementWorker(inQueue, outQueue, backgroundTask));

            List<Integer> printed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                inQueue.put(i);
                printed.add(outQueue.take());
            }
            // background_task.cancel(): closing its input ends the worker
            inQueue.close();

            assertThat(printed).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(backgroundTask.await(WAIT)).isNull();
        }
    }

    /** Takes, increments, puts, again; completes {@code stopped} when its input closes. */
    private static void incrementWorker(LoopQueue<Integer> in, LoopQueue<Integer> out, LoopFuture<Void> stopped) {
        in.takeAsync()
                .thenCompose(number -> out.putAsync(number + 1))
                .whenComplete((v, failure) -> {
                    if (failure == null) {
                        incrementWorker(in, out, stopped);
                    } else {
                        assertThat(failure).hasCauseInstanceOf(ClosedException.class);
                        stopped.complete(null);
                    }
                });
    }

    /**
     * "Control inversion": loop code is a client of the main thread; each of three process() rounds
     * serves exactly the one request the client has outstanding, and the client prints 1, 2, 3.
     */
    @Test
    void controlInversionServesOneRequestPerRound() throws Exception {
        try (EventThread runner = startGroup()) {
            EventLoop loop = runner.next();
            ThreadInbox server = new ThreadInbox(loop);
            LinkedBlockingQueue<String> clientPrinted = new LinkedBlockingQueue<>();
            CompletableFuture<Throwable> clientStopped = new CompletableFuture<>();
            List<Integer> served = new ArrayList<>(); // only the owner (this thread) touches it
            loop.execute(() -> clientCode(server, 0, served, clientPrinted, clientStopped));

            for (int round = 1; round <= 3; round++) {
                int count = server.process(WAIT);

                assertThat(count).as("requests served in round %d", round).isEqualTo(1);
                assertThat(served).as("increments served after round %d", round).hasSize(round).last().isEqualTo(round - 1);
                assertThat(clientPrinted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("Client got: " + round);
            }
            server.close();

            // the fourth request, pending or made after close, fails instead of hanging
            assertThat(clientStopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ClosedException.class);
            assertThat(served).containsExactly(0, 1, 2);
            assertThat(clientPrinted).isEmpty();
        }
    }

    private static void clientCode(ThreadInbox server, int i, List<Integer> served, LinkedBlockingQueue<String> printed,
            CompletableFuture<Throwable> stopped) {
        if (i == 10) {
            stopped.complete(null);
            return;
        }
        server.call(() -> {
            served.add(i);
            return i + 1;
        }).whenComplete((got, failure) -> {
            if (failure != null) {
                stopped.complete(failure);
                return;
            }
            printed.add("Client got: " + got);
            clientCode(server, i + 1, served, printed, stopped);
        });
    }

    /**
     * "Error handling": three failing tasks that nobody waited on are reported at exit, as the
     * seed's ExceptionGroup.
     */
    @Test
    void unobservedFailuresAreReportedAtShutdown() throws Exception {
        EventThread runner = startGroup();
        try {
            Callable<Integer> raisesError = () -> {
                throw new IllegalArgumentException("This is an error");
            };
            for (int i = 0; i < 3; i++) {
                runner.next().submit(raisesError);
            }

            ShutdownReport report = runner.shutdownGracefully(WAIT).get(10, TimeUnit.SECONDS);

            assertThat(report.unobservedFailures()).hasSize(3).allSatisfy(failure -> assertThat(failure)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("This is an error"));
        } finally {
            runner.close();
        }
    }
}

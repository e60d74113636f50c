package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EventLoop#current()}: asyncio's {@code get_running_loop()}, answered per thread. */
@Timeout(30)
class CurrentLoopTest {

    private static final long WAIT = TestLoops.WAIT.toMillis();

    /** What {@code EventLoop.current()} said on the thread that ran a piece of work. */
    private static Optional<EventLoop> await(CompletableFuture<Optional<EventLoop>> seen) throws Exception {
        return seen.get(WAIT, TimeUnit.MILLISECONDS);
    }

    @Test
    void everyKindOfLoopCallbackSeesItsOwnLoop() throws Exception {
        try (EventThread group = TestLoops.started("current", 3)) {
            for (EventLoop loop : group.loops()) {
                CompletableFuture<Optional<EventLoop>> callback = new CompletableFuture<>();
                loop.execute(() -> callback.complete(EventLoop.current()));
                CompletableFuture<Optional<EventLoop>> soon = new CompletableFuture<>();
                loop.callSoon(() -> soon.complete(EventLoop.current()));
                CompletableFuture<Optional<EventLoop>> timer = new CompletableFuture<>();
                loop.callLater(Duration.ofMillis(5), () -> timer.complete(EventLoop.current()));
                LoopFuture<Optional<EventLoop>> task = loop.submit(EventLoop::current);
                // a continuation without an executor runs on the loop that completed the stage
                CompletableFuture<Optional<EventLoop>> continuation =
                        loop.sleep(Duration.ofMillis(1)).thenApplyAsync(ignored -> EventLoop.current());
                LoopFuture<Optional<EventLoop>> async =
                        loop.submitAsync(() -> CompletableFuture.completedFuture(EventLoop.current()));

                for (CompletableFuture<Optional<EventLoop>> seen : List.of(callback, soon, timer, task, continuation, async)) {
                    assertThat(await(seen)).as("on %s", loop.name()).containsSame(loop);
                }
            }
        }
    }

    @Test
    void onShutdownCallbacksAndTheTerminationSweepSeeTheirLoop() throws Exception {
        EventThread group = TestLoops.started("current-shutdown", 2);
        List<CompletableFuture<Optional<EventLoop>>> onShutdown = new ArrayList<>();
        List<CompletableFuture<Optional<EventLoop>>> swept = new ArrayList<>();
        for (EventLoop loop : group.loops()) {
            CompletableFuture<Optional<EventLoop>> seen = new CompletableFuture<>();
            loop.onShutdown(() -> seen.complete(EventLoop.current()));
            onShutdown.add(seen);
            // a promise nobody completes is cancelled by the loop as it terminates
            CompletableFuture<Optional<EventLoop>> cancelled = new CompletableFuture<>();
            loop.<String>newFuture().whenComplete((value, failure) -> cancelled.complete(EventLoop.current()));
            swept.add(cancelled);
        }

        group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        for (int i = 0; i < group.loops().size(); i++) {
            EventLoop loop = group.loops().get(i);
            assertThat(await(onShutdown.get(i))).containsSame(loop);
            assertThat(await(swept.get(i))).containsSame(loop);
        }
        assertThat(EventLoop.current()).as("the test thread, after termination").isEmpty();
    }

    @Test
    void aForcedLoopsSweepRunsOnTheTerminatorWhichHasNoLoop() throws Exception {
        EventThread group = TestLoops.started("current-forced", 1);
        EventLoop loop = group.next();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<EventLoop>> leftBehind = new CompletableFuture<>();
        loop.execute(() -> {
            inside.countDown();
            while (release.getCount() > 0) { // ignores the deadline's interrupt: the loop is forced
                Thread.onSpinWait();
            }
            leftBehind.complete(EventLoop.current());
        });
        assertThat(inside.await(WAIT, TimeUnit.MILLISECONDS)).isTrue();
        CompletableFuture<String> sweptOn = new CompletableFuture<>();
        loop.<String>newFuture().whenComplete((value, failure) -> sweptOn.complete(
                Thread.currentThread().getName() + " " + EventLoop.current().map(EventLoop::name).orElse("no loop")));
        try {
            ShutdownReport report = group.shutdownGracefully(Duration.ofMillis(50)).get(10, TimeUnit.SECONDS);
            assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.FORCED);
            // the loop thread is still inside its callback: the sweep ran on the group's terminator
            assertThat(sweptOn.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("current-forced-terminator no loop");
        } finally {
            release.countDown();
        }
        // the thread left behind still belongs to its (now terminated) loop until its callback returns
        assertThat(await(leftBehind)).containsSame(loop);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void blockingPoolPlainAndSpawnedThreadsHaveNoLoop() throws Exception {
        try (EventThread group = TestLoops.started("current-off", 1)) {
            EventLoop loop = group.next();
            AtomicReference<Optional<EventLoop>> inBlockingWork = new AtomicReference<>();
            AtomicReference<String> blockingThread = new AtomicReference<>();
            // the blocking work runs on the pool; its result comes back to the loop (thenApply, not
            // Async, would run on this thread if the work were done before it is called)
            Optional<EventLoop> afterBlocking = loop.runBlocking(() -> {
                blockingThread.set(Thread.currentThread().getName());
                inBlockingWork.set(EventLoop.current());
                return "done";
            }).thenApplyAsync(ignored -> EventLoop.current()).get(WAIT, TimeUnit.MILLISECONDS);

            assertThat(blockingThread.get()).isNotEqualTo(loop.name());
            assertThat(inBlockingWork.get()).isEmpty();
            assertThat(afterBlocking).containsSame(loop);

            // a thread a callback starts is not a loop thread (the loop is not inherited)
            CompletableFuture<Optional<EventLoop>> spawned = new CompletableFuture<>();
            loop.execute(() -> new Thread(() -> spawned.complete(EventLoop.current())).start());
            assertThat(await(spawned)).isEmpty();

            assertThat(EventLoop.current()).as("the test thread").isEmpty();
        }
    }

    @Test
    void aCustomThreadFactorysThreadSeesItsLoopUntilTheRunLoopEnds() throws Exception {
        List<Optional<EventLoop>> afterRunLoop = new CopyOnWriteArrayList<>();
        CountDownLatch threadsEnded = new CountDownLatch(2);
        EventThread group = TestLoops.builder("current-factory").loopCount(2).threadFactory(body -> {
            // the factory's thread runs the loop's body and then code of its own
            Thread thread = new Thread(() -> {
                try {
                    body.run();
                    afterRunLoop.add(EventLoop.current());
                } finally {
                    threadsEnded.countDown();
                }
            });
            thread.setName("custom-" + thread.getId());
            return thread;
        }).build().start();
        for (EventLoop loop : group.loops()) {
            LoopFuture<String> name = loop.submit(() -> EventLoop.current().orElseThrow().name() + " on "
                    + Thread.currentThread().getName());
            assertThat(name.get(WAIT, TimeUnit.MILLISECONDS)).startsWith(loop.name() + " on custom-");
        }

        group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

        assertThat(threadsEnded.await(WAIT, TimeUnit.MILLISECONDS)).isTrue();
        // once its run loop has ended, the thread is no loop's: the engine forgot it
        assertThat(afterRunLoop).containsExactly(Optional.empty(), Optional.empty());
    }
}

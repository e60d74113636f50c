package io.eventthread.scenarios;

import static io.eventthread.scenarios.ScenarioSupport.STOP;
import static io.eventthread.scenarios.ScenarioSupport.WAIT;
import static io.eventthread.scenarios.ScenarioSupport.builder;
import static io.eventthread.scenarios.ScenarioSupport.report;
import static io.eventthread.scenarios.ScenarioSupport.started;
import static io.eventthread.scenarios.ScenarioSupport.threadName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scheduling callbacks on a loop: {@code callSoon}, {@code callLater}, {@code callAt} on the loop
 * clock, tasks created from loop code, loops in different threads, stop versus close, cancelling
 * pending tasks, and debug mode.
 */
@Timeout(10)
class CallbackSchedulingTest {

    /** Seed 002, "Event Loop Methods" 1: {@code loop.call_soon(lambda: print("Running soon"))}, in order. */
    @Test
    void callSoonRunsCallbacksInOrderOnTheLoop() throws Exception {
        try (EventThread group = started("seed002-soon", 1)) {
            EventLoop loop = group.next();
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(100);
            long before = loop.time();
            List<LoopHandle> handles = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                handles.add(loop.callSoon(() -> {
                    ran.add(n + "@" + threadName());
                    all.countDown();
                }));
            }

            assertThat(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(ran).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                    .mapToObj(i -> i + "@seed002-soon-1").toList());
            assertThat(handles.get(0).when()).isBetween(before, loop.time());
            assertThat(handles.get(0).cancel()).as("cancel after it ran").isFalse();
        }
    }

    /**
     * Seed 002, "Event Loop Methods" 2: {@code loop.call_later(0.5, ...)} — runs after the delay
     * on the loop's clock, never early.
     */
    @Test
    void callLaterRunsAfterTheDelayNeverEarly() throws Exception {
        try (EventThread group = started("seed002-later", 1)) {
            EventLoop loop = group.next();
            AtomicLong firedAt = new AtomicLong();
            CountDownLatch fired = new CountDownLatch(1);
            long scheduledAt = loop.time();

            LoopHandle handle = loop.callLater(Duration.ofMillis(100), () -> {
                firedAt.set(loop.time());
                fired.countDown();
            });

            assertThat(handle.when() - scheduledAt).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
            assertThat(fired.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(firedAt.get()).isGreaterThanOrEqualTo(handle.when());
            assertThat(firedAt.get() - scheduledAt).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        }
    }

    /**
     * Seed 002, "Event Loop Methods" 3: {@code now = loop.time(); loop.call_at(now + 1.0, ...)} —
     * runs at or after that loop time.
     */
    @Test
    void callAtRunsAtTheGivenLoopTime() throws Exception {
        try (EventThread group = started("seed002-at", 1)) {
            EventLoop loop = group.next();
            AtomicLong firedAt = new AtomicLong();
            CountDownLatch fired = new CountDownLatch(1);
            long now = loop.time();
            long when = now + Duration.ofMillis(100).toNanos();

            LoopHandle handle = loop.callAt(when, () -> {
                firedAt.set(loop.time());
                fired.countDown();
            });

            assertThat(handle.when()).isEqualTo(when);
            assertThat(fired.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(firedAt.get()).isGreaterThanOrEqualTo(when);
        }
    }

    /**
     * Seed 002, "Event Loop Methods" 1–3 together: callbacks run by due time — {@code call_soon}
     * first, then timers by deadline whatever order they were scheduled in, and timers with the
     * same deadline in scheduling order.
     */
    @Test
    void soonLaterAndAtAreOrderedByDueTime() throws Exception {
        try (EventThread group = started("seed002-order", 1)) {
            EventLoop loop = group.next();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(7);
            long now = loop.time();
            long ms = Duration.ofMillis(1).toNanos();

            // gaps of 200 ms, so a stalled test thread does not reorder what it schedules
            loop.callAt(now + 600 * ms, record(order, all, "at+600"));
            loop.callLater(Duration.ofMillis(400), record(order, all, "later+400"));
            loop.callAt(now + 200 * ms, record(order, all, "at+200"));
            for (int i = 0; i < 3; i++) {
                loop.callAt(now + 800 * ms, record(order, all, "at+800#" + i));
            }
            loop.callSoon(record(order, all, "soon"));

            assertThat(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(order).containsExactly("soon", "at+200", "later+400", "at+600", "at+800#0", "at+800#1",
                    "at+800#2");
        }
    }

    /**
     * Seed 002, "Event Loop Methods" 4: {@code task = loop.create_task(my_coroutine())} — tasks
     * created from loop code run concurrently on the same loop thread.
     */
    @Test
    void createTaskSchedulesCoroutinesFromLoopCode() throws Exception {
        try (EventThread group = started("seed002-task", 1)) {
            EventLoop loop = group.next();
            List<String> started = new ArrayList<>(); // loop-confined

            LoopFuture<String> main = loop.submitAsync(() -> {
                LoopFuture<String> a = loop.submitAsync(() -> {
                    started.add("a");
                    return loop.sleep(Duration.ofMillis(100)).thenApply(v -> "a@" + threadName());
                });
                LoopFuture<String> b = loop.submitAsync(() -> {
                    started.add("b");
                    return loop.sleep(Duration.ofMillis(100)).thenApply(v -> "b@" + threadName());
                });
                // both tasks are scheduled, neither has run yet: main has not yielded
                started.add("main:" + a.isDone() + "," + b.isDone());
                return a.thenCombine(b, (x, y) -> x + " " + y);
            });

            assertThat(main.await(WAIT)).isEqualTo("a@seed002-task-1 b@seed002-task-1");
            assertThat(loop.submit(() -> List.copyOf(started)).await(WAIT))
                    .containsExactly("main:false,false", "a", "b");
        }
    }

    /**
     * Seed 002, "Event Loops and Threads": "Each thread can have its own event loop ... The event
     * loop runs in a single thread" — every loop of a group has its own thread, and only code on
     * that thread is "in" the loop.
     */
    @Test
    void eachLoopRunsInItsOwnThread() throws Exception {
        try (EventThread group = started("seed002-threads", 2)) {
            EventLoop first = group.loops().get(0);
            EventLoop second = group.loops().get(1);

            assertThat(first.submit(ScenarioSupport::threadName).await(WAIT)).isEqualTo("seed002-threads-1");
            assertThat(second.submit(ScenarioSupport::threadName).await(WAIT)).isEqualTo("seed002-threads-2");
            assertThat(first.submit(first::inEventLoop).await(WAIT)).isTrue();
            assertThat(first.submit(second::inEventLoop).await(WAIT)).isFalse();
            assertThat(first.inEventLoop()).isFalse();
            assertThat(second.inEventLoop()).isFalse();
        }
    }

    /**
     * Seed 002, "Stopping and Closing Event Loops" 2: {@code loop.stop()} "Stops the loop, but
     * doesn't close it" — {@code shutdownGracefully} only starts the stop and returns at once:
     * new work is refused, accepted work finishes, then the loop terminates.
     */
    @Test
    void stopStartsTheStopWithoutWaiting() throws Exception {
        EventThread group = started("seed002-stop", 1);
        EventLoop loop = group.next();
        CompletableFuture<String> gate = new CompletableFuture<>();
        CountDownLatch inFlight = new CountDownLatch(1);
        LoopFuture<String> work = loop.submitAsync(() -> {
            inFlight.countDown();
            return gate.thenApply(v -> "finished");
        });
        assertThat(inFlight.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<ShutdownReport> stopping = group.shutdownGracefully(STOP);

        assertThat(stopping).isNotDone();
        assertThat(loop.state()).isEqualTo(LoopState.SHUTTING_DOWN);
        assertThatThrownBy(() -> loop.callSoon(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shutting down");
        gate.complete("open");
        ShutdownReport stopped = report(stopping);
        assertThat(work.getNow("not done")).isEqualTo("finished");
        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(report(group.shutdownGracefully(Duration.ZERO))).as("repeated stop shares the result")
                .isEqualTo(stopped);
    }

    /**
     * Seed 002, "Stopping and Closing Event Loops" 1 and 4: {@code try: loop.run_forever()
     * finally: loop.close()} — {@code close()} stops and waits; a closed group cannot be
     * restarted and rejects work.
     */
    @Test
    void closeStopsAndWaits() throws Exception {
        EventThread group = started("seed002-close", 1);
        EventLoop loop = group.next();
        LoopFuture<String> work = loop.submitAsync(() -> loop.sleep(Duration.ofMillis(100)).thenApply(v -> "done"));

        group.close();

        assertThat(group.isTerminated()).isTrue();
        assertThat(loop.state()).isEqualTo(LoopState.TERMINATED);
        assertThat(work).isCompletedWithValue("done");
        assertThatThrownBy(group::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> loop.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("terminated");
        group.close(); // closing twice is harmless
    }

    /**
     * Seed 002, "Stopping and Closing Event Loops" 3: {@code for task in asyncio.all_tasks(loop):
     * task.cancel()} — cancelling pending tasks cancels the sleeps they wait on, and the loop
     * keeps serving.
     */
    @Test
    void cancellingPendingTasks() throws Exception {
        try (EventThread group = started("seed002-cancel", 1)) {
            EventLoop loop = group.next();
            List<LoopFuture<Void>> tasks = new ArrayList<>();
            CountDownLatch allSleeping = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                tasks.add(loop.submitAsync(() -> {
                    allSleeping.countDown();
                    return loop.sleep(Duration.ofSeconds(30));
                }));
            }
            assertThat(allSleeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(loop.submit(() -> loop.stats().pendingTimers()).await(WAIT)).isEqualTo(3);

            for (LoopFuture<Void> task : tasks) {
                assertThat(task.cancel(true)).isTrue();
            }

            assertThat(tasks).allSatisfy(t -> assertThatThrownBy(() -> t.await(WAIT))
                    .isInstanceOf(CancellationException.class));
            assertThat(loop.submit(() -> loop.stats().pendingTimers()).await(WAIT)).isZero();
            assertThat(loop.submit(() -> "still serving").await(WAIT)).isEqualTo("still serving");
            ShutdownReport stopped = report(group.shutdownGracefully(STOP));
            assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        }
    }

    /**
     * Seed 002, "Event Loop Methods": handles returned by {@code call_later}/{@code call_at} can be
     * cancelled; a cancelled timer never runs and leaves the loop's timers at once.
     */
    @Test
    void cancelledTimerNeverRuns() throws Exception {
        try (EventThread group = started("seed002-handle", 1)) {
            EventLoop loop = group.next();
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            LoopHandle doomed = loop.callLater(Duration.ofMillis(100), () -> ran.add("doomed"));
            CountDownLatch later = new CountDownLatch(1);
            loop.callLater(Duration.ofMillis(150), () -> {
                ran.add("kept");
                later.countDown();
            });
            assertThat(loop.submit(() -> loop.stats().pendingTimers()).await(WAIT)).isEqualTo(2);

            assertThat(doomed.cancel()).isTrue();
            assertThat(doomed.cancel()).isFalse();

            assertThat(doomed.isCancelled()).isTrue();
            assertThat(loop.submit(() -> loop.stats().pendingTimers()).await(WAIT)).isEqualTo(1);
            assertThat(later.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(ran).containsExactly("kept");
        }
    }

    /**
     * Seed 002, "Debugging Event Loops": "Warnings are emitted for slow callbacks (&gt;100ms)" —
     * a callback over the threshold is counted and reported to listeners by its label.
     */
    @Test
    void debugModeReportsSlowCallbacks() throws Exception {
        AtomicReference<Duration> slowFor = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        EventLoopListener listener = new EventLoopListener() {
            @Override
            public void slowCallback(EventLoop loop, String task, Duration duration) {
                if (task.equals("blocking-callback")) {
                    slowFor.set(duration);
                    reported.countDown();
                }
            }
        };
        try (EventThread group = builder("seed002-debug").debug(true)
                .listener(listener).build().start()) {
            EventLoop loop = group.next();
            loop.submit(() -> "fast").await(WAIT);

            loop.submit(EventLoop.labeled("blocking-callback", () -> {
                Thread.sleep(150);
                return null;
            })).await(WAIT);

            assertThat(reported.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(slowFor.get()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(loop.submit(() -> loop.stats().slowCallbacks()).await(WAIT)).isGreaterThanOrEqualTo(1);
        }
    }

    private static Runnable record(List<String> order, CountDownLatch latch, String name) {
        return () -> {
            order.add(name);
            latch.countDown();
        };
    }

    // ---------------------------------------------------------------- regressions: engine defects these seeds found

    /**
     * Seed 002, "Debugging Event Loops": "Warnings appear for tasks destroyed while pending" — a
     * stop whose deadline passes with a task still pending cancels it and says so in the report.
     */
    // Regression: tasksCancelled stays 0 for in-flight work cancelled at the deadline (fixed in the engine).
    @Test
    void tasksPendingAtTheDeadlineAreReported() throws Exception {
        EventThread group = started("seed002-pending", 1);
        EventLoop loop = group.next();
        CountDownLatch sleeping = new CountDownLatch(1);
        LoopFuture<String> pending = loop.submitAsync(() -> {
            sleeping.countDown();
            return loop.sleep(Duration.ofSeconds(30)).thenApply(v -> "never");
        });
        assertThat(sleeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        ShutdownReport stopped = report(group.shutdownGracefully(Duration.ofMillis(100)));

        assertThat(stopped.outcome()).isEqualTo(ShutdownReport.Outcome.CANCELLED);
        assertThat(pending).isCancelled();
        assertThat(stopped.tasksCancelled()).as("the pending task counts as cancelled: %s", stopped)
                .isEqualTo(1);
    }

    /**
     * Seed 002, "Stopping and Closing Event Loops" 3, with the usual coroutine shape
     * {@code await asyncio.sleep(30); return "woke up"}: once every pending task is cancelled,
     * nothing waits on their sleeps any more, so a graceful stop has no work left and ends at once.
     */
    // Regression: the orphaned sleep timers hold the shutdown to its deadline (fixed in the engine).
    @Test
    void cancelledTasksDoNotHoldTheShutdown() throws Exception {
        EventThread group = started("seed002-orphan", 1);
        EventLoop loop = group.next();
        List<LoopFuture<String>> tasks = new ArrayList<>();
        CountDownLatch allSleeping = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            tasks.add(loop.submitAsync(() -> {
                allSleeping.countDown();
                return loop.sleep(Duration.ofSeconds(30)).thenApply(v -> "woke up");
            }));
        }
        assertThat(allSleeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (LoopFuture<String> task : tasks) {
            assertThat(task.cancel(true)).isTrue();
        }

        ShutdownReport stopped = report(group.shutdownGracefully(STOP));

        assertThat(stopped.outcome()).as("nothing was pending: %s", stopped).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        assertThat(stopped.duration()).as("%s", stopped).isLessThan(Duration.ofSeconds(1));
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopState;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, "reasoned, not reproduced" point 3: a {@code runBlocking} accepted just before its
 * loop terminates could miss the loop's in-flight set and run after termination. Made certain
 * with the public API: the group's task decorator runs on the submitting thread inside
 * {@code runBlocking} (today after the acceptance check, before the task is registered as in
 * flight), and here it waits there until the loop has terminated and its thread has ended. A
 * second loop holds the group open, so the blocking pool is still up.
 *
 * <p>The promise: once a loop has terminated, no work it accepted is still to run — the call is
 * rejected, or the work is cancelled without running; and the future is done.
 */
@Timeout(60)
class LateRunBlockingDefectTest {

    private static final String LATE = "late-blocking-work";

    @Test
    void blockingWorkAcceptedAsTheLoopTerminatesNeverRunsAfterIt() throws Exception {
        CountDownLatch inDecorator = new CountDownLatch(1);
        AtomicReference<EventLoop> first = new AtomicReference<>();
        EventThread group = Loops.builder("d15-late").loopCount(2).taskDecorator(task -> {
            if (task.toString().equals(LATE)) {
                inDecorator.countDown();
                EventLoop loop = first.get();
                long until = System.nanoTime() + Loops.WAIT.toNanos();
                // terminated, and its thread gone: the loop's own termination is complete
                while (!(loop.state() == LoopState.TERMINATED && loop.threadStack().length == 0)
                        && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            return task;
        }).build().start();
        CountDownLatch releaseSecond = new CountDownLatch(1);
        try {
            EventLoop loop = group.loops().get(0);
            EventLoop second = group.loops().get(1);
            first.set(loop);
            CountDownLatch secondIn = new CountDownLatch(1);
            second.execute(() -> {
                secondIn.countDown();
                Loops.awaitInterruptibly(releaseSecond);
            });
            Loops.await(secondIn);

            AtomicReference<LoopState> stateWhenRun = new AtomicReference<>();
            Callable<String> work = new Callable<>() {
                @Override
                public String call() {
                    stateWhenRun.set(loop.state());
                    return "ran";
                }

                @Override
                public String toString() {
                    return LATE;
                }
            };
            CompletableFuture<Object> submitted = CompletableFuture.supplyAsync(() -> {
                try {
                    LoopFuture<String> f = loop.runBlocking(work);
                    return f;
                } catch (RuntimeException rejected) {
                    return rejected;
                }
            }, r -> new Thread(r, "d15-late-submitter").start());
            Loops.await(inDecorator);
            CompletableFuture<ShutdownReport> done = group.shutdownGracefully(Duration.ofSeconds(5));
            Object outcome = submitted.get(10, TimeUnit.SECONDS);
            if (outcome instanceof LoopFuture<?> f) {
                // done, or completed soon: the work (if it runs at all) is quick
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (Exception ended) {
                    // cancelled or rejected: fine
                }
                assertThat(f).as("the future runBlocking returned").isDone();
            }
            assertThat(stateWhenRun.get()).as("the loop's state when the work accepted before its termination ran "
                    + "(null: never ran); runBlocking gave %s", outcome).isNull();
            releaseSecond.countDown();
            done.get(10, TimeUnit.SECONDS);
        } finally {
            releaseSecond.countDown();
            Loops.closeQuietly(group);
        }
    }
}

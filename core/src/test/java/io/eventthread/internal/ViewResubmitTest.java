package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks of an executor view's {@code newTaskFor} (what {@code invokeAll} and {@code invokeAny}
 * execute), each executed by two threads racing: each is accepted once — it runs once, the view
 * counts it once (so the view terminates) and its registry stays a list (a task pushed twice
 * would make it a cycle, and {@code shutdownNow()} would never return).
 */
@Timeout(60)
class ViewResubmitTest {

    @Test
    void tasksExecutedByTwoThreadsAtOnceAreAcceptedOnce() throws Exception {
        try (EventThread group = TestLoops.started("view-resubmit", 1)) {
            ExecutorView view = (ExecutorView) group.next().asExecutorService();
            AtomicInteger runs = new AtomicInteger();
            List<RunnableFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 50_000; i++) {
                tasks.add(view.newTaskFor(runs::incrementAndGet));
            }
            CyclicBarrier start = new CyclicBarrier(2);
            Runnable executeAll = () -> {
                try {
                    start.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                for (RunnableFuture<Integer> task : tasks) {
                    try {
                        view.execute(task); // the other thread executes the same task about now
                    } catch (RejectedExecutionException alreadySubmitted) {
                        // the one the other thread took
                    }
                }
            };
            Thread other = new Thread(executeAll);
            other.start();
            executeAll.run();
            other.join(30_000);
            for (RunnableFuture<Integer> task : tasks) {
                task.get(5, TimeUnit.SECONDS);
            }

            assertThat(view.shutdownNow()).as("the registry's walk ends: no cycle").isEmpty();
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).as("each task counted once").isTrue();
            assertThat(runs).as("each task ran once").hasValue(tasks.size());
        }
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.ShutdownReport;
import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defect (see the reliability report): producers whose offers land after the loop's termination
 * sweep race in {@code LoopShutdown.takeBack}. The first drains the queue and cancels the others'
 * tasks; their own take-back then finds nothing, so their {@code submit} returns normally with a
 * future that is already cancelled, after a report that said GRACEFUL with nothing cancelled.
 * Correct: such a submission is rejected, or its cancellation is reported (not GRACEFUL).
 */
@Timeout(60)
class TakeBackRaceDefectTest {

    @Test
    void anAcceptedSubmissionIsNeverCancelledBehindAGracefulReport() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        int rounds = 0;
        while (System.nanoTime() - deadline < 0) {
            rounds++;
            EventThread group = Loops.builder("takeback").build().start();
            try {
                EventLoop loop = group.next();
                ConcurrentLinkedQueue<LoopFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> producers = new ArrayList<>();
                for (int p = 0; p < 8; p++) {
                    producers.add(CompletableFuture.runAsync(() -> {
                        Loops.await(go);
                        try {
                            while (true) {
                                accepted.add(loop.submit(() -> 1));
                            }
                        } catch (RejectedExecutionException expected) {
                            // the shutdown has begun
                        }
                    }, r -> new Thread(r, "takeback-producer").start()));
                }
                go.countDown();
                ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                if (report.outcome() == Outcome.GRACEFUL) {
                    int round = rounds;
                    assertThat(accepted).as("round %d: %s", round, report).noneMatch(CompletableFuture::isCancelled);
                }
                assertThat(accepted).allMatch(CompletableFuture::isDone);
            } finally {
                Loops.closeQuietly(group);
            }
        }
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopState;
import io.eventthread.ShutdownReport;
import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code start()} racing {@code shutdownGracefully()}, with a submission racing both: whichever
 * wins, the group terminates within its timeout, every loop ends TERMINATED, and a submission is
 * either rejected or its future completes.
 */
@Timeout(60)
class LifecycleRaceStressTest {

    @Test
    void startRacingShutdownAlwaysTerminatesAndLosesNoSubmission() throws Exception {
        long deadline = Soak.deadline();
        int rounds = 0;
        while (rounds < 50 || Soak.moreRaces(deadline)) {
            rounds++;
            EventThread group = Loops.builder("lifecycle").loopCount(1 + rounds % 2).build();
            EventLoop loop = group.loops().get(0);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Object> starter = CompletableFuture.supplyAsync(() -> {
                Loops.await(go);
                try {
                    return group.start();
                } catch (IllegalStateException shutAlready) {
                    return shutAlready; // allowed: "was shut down and cannot be started again"
                }
            }, r -> new Thread(r, "starter").start());
            CompletableFuture<LoopFuture<Integer>> submitter = CompletableFuture.supplyAsync(() -> {
                Loops.await(go);
                try {
                    return loop.submit(() -> 1);
                } catch (RejectedExecutionException notRunning) {
                    return null; // not started yet, or already shutting down
                }
            }, r -> new Thread(r, "submitter").start());
            CompletableFuture<ShutdownReport> stopping = CompletableFuture.supplyAsync(() -> {
                Loops.await(go);
                return group.shutdownGracefully(Duration.ofMillis(50));
            }, r -> new Thread(r, "stopper").start()).thenCompose(f -> f);
            go.countDown();

            ShutdownReport report = stopping.get(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            starter.get(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LoopFuture<Integer> submitted = submitter.get(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Soak.raced(Soak.LIFECYCLE_RACES, 1);
            assertThat(report.outcome()).as("round %d: %s", rounds, report).isNotEqualTo(Outcome.FORCED);
            assertThat(group.isTerminated()).isTrue();
            assertThat(group.loops()).allSatisfy(l -> assertThat(l.state()).isEqualTo(LoopState.TERMINATED));
            if (submitted != null) {
                Soak.FUTURES_CHECKED.incrementAndGet();
                boolean done = submitted.isDone();
                if (!done) {
                    Soak.INCOMPLETE.incrementAndGet();
                }
                assertThat(done).as("round %d: accepted submission's future done after termination", rounds).isTrue();
            }
        }
    }
}

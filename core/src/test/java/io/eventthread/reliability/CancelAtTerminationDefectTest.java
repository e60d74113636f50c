package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defect (found by {@link RandomProgramsTest} on JDK 25): a timer cancelled from another thread
 * sends its unlink message to the loop; when the loop terminated between the canceller's state
 * check and the offer, the refused message was counted as a rejection although no caller saw one
 * ({@code cancel} returns normally), so {@code tasksRejected} disagreed with what callers saw.
 * Correct: a refusal of work the loop already owns is not a rejection.
 */
@Timeout(60)
class CancelAtTerminationDefectTest {

    @Test
    void cancellingTimersAsTheLoopTerminatesRejectsNothing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        int rounds = 0;
        while (System.nanoTime() - deadline < 0) {
            rounds++;
            EventThread group = Loops.builder("cancel-at-end").build().start();
            try {
                EventLoop loop = group.next();
                List<LoopHandle> timers = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    timers.add(loop.callLater(Duration.ofHours(1), () -> { }));
                }
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> cancellers = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    int first = c;
                    cancellers.add(CompletableFuture.runAsync(() -> {
                        Loops.await(go);
                        for (int i = first; i < timers.size(); i += 2) {
                            timers.get(i).cancel();
                        }
                    }, r -> new Thread(r, "canceller").start()));
                }
                go.countDown();
                group.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
                CompletableFuture.allOf(cancellers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                int round = rounds;
                assertThat(loop.stats().tasksRejected()).as("round %d", round).isZero();
                assertThat(timers).allMatch(LoopHandle::isCancelled);
            } finally {
                Loops.closeQuietly(group);
            }
        }
    }
}

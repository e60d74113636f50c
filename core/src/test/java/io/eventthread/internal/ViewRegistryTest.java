package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An executor view's registry of its tasks is linked through the tasks and purged lazily: it never
 * holds more than twice the view's pending tasks plus {@link ViewRegistry.SLACK}, whatever the churn,
 * and what {@code shutdownNow()} returns is still exactly what never started.
 */
@Timeout(30)
class ViewRegistryTest {

    @Test
    void churnKeepsTheRegistryWithinTwiceThePendingTasks() throws Exception {
        try (EventThread group = TestLoops.started("view-registry", 1)) {
            ExecutorView view = (ExecutorView) group.next().asExecutorService();
            int pending = 100;
            Deque<ScheduledFuture<?>> window = new ArrayDeque<>();
            int most = 0;
            for (int i = 0; i < 10_000; i++) {
                window.addLast(view.schedule(() -> { }, 1, TimeUnit.HOURS));
                if (window.size() > pending) {
                    assertThat(window.removeFirst().cancel(false)).isTrue();
                }
                most = Math.max(most, view.tracked());
            }

            assertThat(most).as("links held at most").isLessThanOrEqualTo(2 * (pending + 1) + ViewRegistry.SLACK + 1);
            List<Runnable> neverStarted = view.shutdownNow();
            assertThat(neverStarted).containsExactlyInAnyOrderElementsOf(window.stream().map(Runnable.class::cast).toList());
            assertThat(view.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(view.tracked()).as("a shutdownNow purges what it cancelled next time").isLessThanOrEqualTo(pending);
        }
    }
}

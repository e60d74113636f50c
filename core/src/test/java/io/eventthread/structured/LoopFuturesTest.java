package io.eventthread.structured;

import static io.eventthread.TestLoops.WAIT;
import static io.eventthread.TestLoops.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.TestLoops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopFuturesTest {

    @Test
    void gatherKeepsTheGivenOrderAndCompletesOnTheLoop() throws Exception {
        try (EventThread loops = started("gather-order", 1)) {
            EventLoop loop = loops.next();
            CompletableFuture<String> slow = new CompletableFuture<>();
            CompletableFuture<String> fast = new CompletableFuture<>();
            LoopFuture<List<String>> all = LoopFutures.gather(loop, slow, fast);
            List<String> completedOn = new CopyOnWriteArrayList<>();
            all.thenRun(() -> completedOn.add(Thread.currentThread().getName()));
            fast.complete("fast");
            assertThat(all).isNotDone();
            slow.complete("slow");                           // completed on this plain thread
            assertThat(all.await(WAIT)).containsExactly("slow", "fast");
            TestLoops.sync(loop);
            assertThat(completedOn).containsExactly(loop.name());
            assertThat(LoopFutures.gather(loop, List.<CompletableFuture<String>>of()).await(WAIT)).isEmpty();
        }
    }

    @Test
    void gatherFailsFastLeavingTheOthersRunningAndCancelsThemWhenCancelled() throws Exception {
        try (EventThread loops = started("gather-fail", 1)) {
            EventLoop loop = loops.next();
            CompletableFuture<String> pending = new CompletableFuture<>();
            CompletableFuture<String> failing = new CompletableFuture<>();
            LoopFuture<List<String>> all = LoopFutures.gather(loop, pending, failing);
            IllegalStateException boom = new IllegalStateException("boom");
            failing.completeExceptionally(boom);
            assertThatThrownBy(() -> all.await(WAIT)).cause().isSameAs(boom);
            assertThat(pending).isNotDone();                 // as asyncio.gather: not cancelled

            CompletableFuture<String> a = new CompletableFuture<>();
            LoopFuture<Void> b = loop.sleep(Duration.ofSeconds(30));
            LoopFuture<List<Object>> cancelled = LoopFutures.gather(loop, a, b);
            cancelled.cancel(false);
            assertThat(a).isCancelled();
            assertThat(b).isCancelled();
        }
    }

    @Test
    void gatherSettledCollectsEveryOutcome() throws Exception {
        try (EventThread loops = started("gather-settled", 1)) {
            EventLoop loop = loops.next();
            IllegalArgumentException bad = new IllegalArgumentException("bad");
            LoopFuture<String> ok = loop.submit(() -> "ok");
            LoopFuture<String> failed = loop.submit(() -> {
                throw bad;
            });
            LoopFuture<String> cancelled = loop.newFuture();
            cancelled.cancel(false);
            List<Settled<String>> outcomes = LoopFutures.gatherSettled(loop, List.of(ok, failed, cancelled)).await(WAIT);
            assertThat(outcomes).hasSize(3);
            assertThat(outcomes.get(0).isSuccess()).isTrue();
            assertThat(outcomes.get(0).get()).isEqualTo("ok");
            assertThat(outcomes.get(1).failure()).isSameAs(bad);
            assertThatThrownBy(() -> outcomes.get(1).get()).cause().isSameAs(bad);
            assertThat(outcomes.get(2).isCancelled()).isTrue();
            assertThatThrownBy(() -> outcomes.get(2).get()).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void asCompletedDeliversInCompletionOrderOnTheLoop() throws Exception {
        try (EventThread loops = started("as-completed", 1)) {
            EventLoop loop = loops.next();
            List<CompletableFuture<String>> stages = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                stages.add(new CompletableFuture<>());
            }
            List<LoopFuture<String>> inOrder = LoopFutures.asCompleted(loop, stages);
            assertThat(inOrder).hasSize(4).allSatisfy(f -> assertThat(f).isNotDone());
            List<String> threads = new CopyOnWriteArrayList<>();
            inOrder.forEach(f -> f.whenComplete((v, t) -> threads.add(Thread.currentThread().getName())));
            RuntimeException third = new RuntimeException("third");
            stages.get(2).complete("c");
            stages.get(0).complete("a");
            stages.get(3).completeExceptionally(third);
            stages.get(1).complete("b");
            assertThat(inOrder.get(0).await(WAIT)).isEqualTo("c");
            assertThat(inOrder.get(1).await(WAIT)).isEqualTo("a");
            assertThatThrownBy(() -> inOrder.get(2).await(WAIT)).cause().isSameAs(third);
            assertThat(inOrder.get(3).await(WAIT)).isEqualTo("b");
            TestLoops.sync(loop);
            assertThat(threads).hasSize(4).containsOnly(loop.name());
        }
    }

    @Test
    void badInputNamesTheArgument() throws Exception {
        try (EventThread loops = started("gather-bad", 1)) {
            EventLoop loop = loops.next();
            List<CompletableFuture<String>> withNull = new ArrayList<>();
            withNull.add(new CompletableFuture<>());
            withNull.add(null);
            assertThatThrownBy(() -> LoopFutures.gather(loop, withNull)).isInstanceOf(NullPointerException.class)
                    .hasMessage("stages[1]");
            assertThatThrownBy(() -> LoopFutures.asCompleted(null, List.of())).hasMessage("loop");
        }
    }
}

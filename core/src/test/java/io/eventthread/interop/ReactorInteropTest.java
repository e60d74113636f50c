package io.eventthread.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A loop works as a Reactor scheduler through {@code Schedulers.fromExecutorService(loop.asExecutorService())},
 * and disposing the scheduler (which shuts its executor down) leaves the group serving.
 */
@Timeout(30)
class ReactorInteropTest {

    @Test
    void publishOnRunsDownstreamOnTheLoopInOrder() {
        try (EventThread loops = EventThread.builder().threadNamePrefix("reactor-publish").build().start()) {
            EventLoop loop = loops.next();
            Scheduler onLoop = Schedulers.fromExecutorService(loop.asExecutorService(), "loop");
            List<String> threads = new CopyOnWriteArrayList<>();
            List<Integer> seen = Flux.range(1, 100)
                    .publishOn(onLoop)
                    .doOnNext(i -> threads.add(Thread.currentThread().getName()))
                    .map(i -> i * 2)
                    .collectList()
                    .block(Duration.ofSeconds(10));
            assertThat(seen).hasSize(100).startsWith(2, 4, 6).endsWith(200);
            assertThat(threads).hasSize(100).containsOnly(loop.name());
        }
    }

    @Test
    void subscribeOnRunsTheSourceOnTheLoop() {
        try (EventThread loops = EventThread.builder().threadNamePrefix("reactor-subscribe").build().start()) {
            EventLoop loop = loops.next();
            Scheduler onLoop = Schedulers.fromExecutorService(loop.asExecutorService(), "loop");
            String sourceThread = Mono.fromCallable(() -> Thread.currentThread().getName())
                    .subscribeOn(onLoop)
                    .block(Duration.ofSeconds(10));
            assertThat(sourceThread).isEqualTo(loop.name());
        }
    }

    @Test
    void delaysUseTheLoopsTimersAndLoopFuturesBridgeBothWays() {
        try (EventThread loops = EventThread.builder().threadNamePrefix("reactor-delay").build().start()) {
            EventLoop loop = loops.next();
            Scheduler onLoop = Schedulers.fromExecutorService(loop.asExecutorService(), "loop");
            String delayedOn = Mono.delay(Duration.ofMillis(20), onLoop)
                    .map(tick -> Thread.currentThread().getName())
                    .block(Duration.ofSeconds(10));
            assertThat(delayedOn).isEqualTo(loop.name());
            // a loop future as a Mono, and back
            String fromFuture = Mono.fromFuture(loop.submit(() -> "from the loop")).block(Duration.ofSeconds(10));
            assertThat(fromFuture).isEqualTo("from the loop");
        }
    }

    @Test
    void disposingTheSchedulerLeavesTheGroupServing() throws Exception {
        // Reactor owns the executor it is given: dispose() calls its shutdownNow()
        try (EventThread loops = EventThread.builder().threadNamePrefix("reactor-dispose").loopCount(2).build().start()) {
            ExecutorService view = loops.asExecutorService();
            Scheduler onLoops = Schedulers.fromExecutorService(view, "loops");
            String ran = Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(onLoops)
                    .block(Duration.ofSeconds(10));
            assertThat(ran).startsWith("reactor-dispose-");

            onLoops.dispose();

            assertThat(view.isShutdown()).isTrue();
            assertThat(view.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loops.isShutdown()).isFalse();
            for (EventLoop loop : loops.loops()) {
                assertThat(loop.submit(() -> "still serving").get(10, TimeUnit.SECONDS)).isEqualTo("still serving");
            }
            // a new scheduler over a new view works as the first did
            Scheduler again = Schedulers.fromExecutorService(loops.asExecutorService(), "again");
            assertThat(Mono.just(1).publishOn(again).map(i -> i + 1).block(Duration.ofSeconds(10))).isEqualTo(2);
            again.dispose();
        }
    }
}

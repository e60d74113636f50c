package io.eventthread.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** A loop works as a Reactor scheduler through {@code Schedulers.fromExecutorService(loop)}. */
@Timeout(30)
class ReactorInteropTest {

    @Test
    void publishOnRunsDownstreamOnTheLoopInOrder() {
        try (EventThread loops = EventThread.builder().threadNamePrefix("reactor-publish").build().start()) {
            EventLoop loop = loops.next();
            Scheduler onLoop = Schedulers.fromExecutorService(loop, "loop");
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
            Scheduler onLoop = Schedulers.fromExecutorService(loop, "loop");
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
            Scheduler onLoop = Schedulers.fromExecutorService(loop, "loop");
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
    void disposingTheSchedulerShutsTheWholeGroupDown() {
        // Reactor owns an executor it is given: dispose() calls shutdownNow(), which on a loop acts on its group
        EventThread loops = EventThread.builder().threadNamePrefix("reactor-dispose").loopCount(2).build().start();
        Scheduler onLoop = Schedulers.fromExecutorService(loops.next(), "loop");
        onLoop.dispose();
        assertThat(loops.isShutdown()).isTrue();
        loops.close();
    }
}

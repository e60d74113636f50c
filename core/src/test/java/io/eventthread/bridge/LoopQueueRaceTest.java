package io.eventthread.bridge;

import io.eventthread.EventThread;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import io.eventthread.ShutdownReport;
import io.eventthread.ClosedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many producers and consumers on both faces of one {@link LoopQueue}, and a shutdown with waiters
 * parked on both faces.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopQueueRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int THREAD_PRODUCERS = 3;
    private static final int LOOP_PRODUCERS = 3;
    private static final int THREAD_CONSUMERS = 3;
    private static final int LOOP_CONSUMERS = 3;
    private static final int ITEMS_PER_PRODUCER = 2_000;

    private static EventThread startGroup() {
        return EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
    }

    /** An item names its producer and its sequence number. */
    record Item(int producer, int seq) {
    }

    @Test
    void everyItemIsDeliveredExactlyOnceAndEachProducersOrderIsKept() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try (EventThread group = startGroup()) {
            EventLoop loop = group.next();
            // small, so that both faces spend time waiting for room and for items
            LoopQueue<Item> queue = LoopQueue.bounded(loop, 4);
            List<List<Item>> received = new ArrayList<>();
            List<Future<?>> threadWork = new ArrayList<>();
            List<CompletableFuture<Void>> loopWork = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);

            for (int c = 0; c < THREAD_CONSUMERS; c++) {
                List<Item> mine = Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                threadWork.add(threads.submit(() -> {
                    go.await();
                    while (true) {
                        try {
                            mine.add(queue.take());
                        } catch (ClosedException drainedAndClosed) {
                            return null;
                        }
                    }
                }));
            }
            for (int c = 0; c < LOOP_CONSUMERS; c++) {
                List<Item> mine = Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                CompletableFuture<Void> done = new CompletableFuture<>();
                loopWork.add(done);
                loop.execute(() -> consumeOnLoop(queue, mine, done));
            }
            for (int p = 0; p < THREAD_PRODUCERS; p++) {
                int producer = p;
                threadWork.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
                        queue.put(new Item(producer, i));
                    }
                    return null;
                }));
            }
            List<CompletableFuture<Void>> loopProducers = new ArrayList<>();
            for (int p = THREAD_PRODUCERS; p < THREAD_PRODUCERS + LOOP_PRODUCERS; p++) {
                int producer = p;
                CompletableFuture<Void> done = new CompletableFuture<>();
                loopProducers.add(done);
                loop.execute(() -> produceOnLoop(queue, producer, 0, done));
            }
            go.countDown();

            for (int p = 0; p < THREAD_PRODUCERS; p++) {
                threadWork.get(THREAD_CONSUMERS + p).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            CompletableFuture.allOf(loopProducers.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            queue.close(); // consumers drain what is left, then stop
            for (int c = 0; c < THREAD_CONSUMERS; c++) {
                threadWork.get(c).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            CompletableFuture.allOf(loopWork.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            List<Item> all = new ArrayList<>();
            received.forEach(all::addAll);
            int producers = THREAD_PRODUCERS + LOOP_PRODUCERS;
            assertThat(all).hasSize(producers * ITEMS_PER_PRODUCER).doesNotHaveDuplicates();
            for (List<Item> consumer : received) {
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    List<Integer> seqs = consumer.stream().filter(item -> item.producer() == producer).map(Item::seq).toList();
                    assertThat(seqs).as("producer %d's items as one consumer saw them", producer).isSorted();
                }
            }
            assertThat(received).as("every consumer got something").allSatisfy(list -> assertThat(list).isNotEmpty());
        } finally {
            threads.shutdownNow();
        }
    }

    /** Puts the producer's items one after another; the async hop keeps the chain off the stack. */
    private static void produceOnLoop(LoopQueue<Item> queue, int producer, int seq, CompletableFuture<Void> done) {
        if (seq == ITEMS_PER_PRODUCER) {
            done.complete(null);
            return;
        }
        queue.putAsync(new Item(producer, seq)).whenCompleteAsync((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                produceOnLoop(queue, producer, seq + 1, done);
            }
        });
    }

    private static void consumeOnLoop(LoopQueue<Item> queue, List<Item> mine, CompletableFuture<Void> done) {
        queue.takeAsync().whenCompleteAsync((item, failure) -> {
            if (failure != null) {
                done.complete(null);
            } else {
                mine.add(item);
                consumeOnLoop(queue, mine, done);
            }
        });
    }

    /**
     * Producers and consumers that keep giving up (tiny timeouts on the thread face, loop-side
     * timeouts that cancel takers): an offer that reported failure must not have queued its item,
     * and a poll or cancelled take that reported nothing must not have swallowed one.
     */
    @Test
    void givingUpNeverLosesOrDuplicatesAnItem() throws Exception {
        int producers = 3;
        int perProducer = 1_000;
        int total = producers * perProducer;
        ExecutorService threads = Executors.newCachedThreadPool();
        try (EventThread group = startGroup()) {
            EventLoop loop = group.next();
            LoopQueue<Item> queue = LoopQueue.bounded(loop, 2);
            AtomicInteger taken = new AtomicInteger();
            // a lost item would keep consumers polling forever: stop them so the assertions say what went wrong
            long deadline = System.nanoTime() + WAIT.toNanos() * 2;
            List<List<Item>> received = new ArrayList<>();
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        Item item = new Item(producer, i);
                        while (!queue.offer(item, Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 200_000)))) {
                            // retry the same item: a false answer must mean it is not in the queue
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 2; c++) {
                List<Item> mine = Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                work.add(threads.submit(() -> {
                    while (taken.get() < total && System.nanoTime() < deadline) {
                        Item item = queue.poll(Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 200_000)));
                        if (item != null) {
                            mine.add(item);
                            taken.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Item> loopConsumer = Collections.synchronizedList(new ArrayList<>());
            received.add(loopConsumer);
            CompletableFuture<Void> loopDone = new CompletableFuture<>();
            loop.execute(() -> takeWithTimeouts(loop, queue, loopConsumer, taken, total, deadline, loopDone));

            for (Future<?> f : work.subList(producers, work.size())) {
                f.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
            loopDone.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            List<Item> all = new ArrayList<>();
            received.forEach(all::addAll);
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            for (List<Item> consumer : received) {
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    assertThat(consumer.stream().filter(item -> item.producer() == producer).map(Item::seq).toList()).isSorted();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Takes with a loop-side timeout that cancels the take, until everything has been taken. */
    private static void takeWithTimeouts(EventLoop loop, LoopQueue<Item> queue, List<Item> mine, AtomicInteger taken,
            int total, long deadline, CompletableFuture<Void> done) {
        if (taken.get() >= total || System.nanoTime() > deadline) {
            done.complete(null);
            return;
        }
        loop.timeout(queue.takeAsync(), Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 200_000)))
                .whenCompleteAsync((item, failure) -> {
                    if (item != null) {
                        mine.add(item);
                        taken.incrementAndGet();
                    }
                    takeWithTimeouts(loop, queue, mine, taken, total, deadline, done);
                });
    }

    @Test
    void shutdownWakesEveryWaiterOnBothFaces() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        EventThread group = startGroup();
        try {
            EventLoop loop = group.next();
            LoopQueue<String> empty = LoopQueue.unbounded(loop);
            LoopQueue<String> full = LoopQueue.bounded(loop, 1);
            full.put("filler");

            List<Future<Throwable>> threadWaiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threadWaiters.add(threads.submit(() -> catchThrowable(empty::take)));
                threadWaiters.add(threads.submit(() -> catchThrowable(() -> full.put("blocked"))));
            }
            List<LoopFuture<?>> loopWaiters = loop.submit(() -> List.<LoopFuture<?>>of(
                    empty.takeAsync(), empty.takeAsync(), full.putAsync("a"), full.putAsync("b"))).await(WAIT);
            awaitOnLoop(loop, () -> empty.waiting() == 4 && full.waiting() == 4);

            long start = System.nanoTime();
            group.shutdownGracefully(Duration.ofMillis(200)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            for (Future<Throwable> waiter : threadWaiters) {
                assertThat(waiter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ClosedException.class)
                        .hasMessageContaining("terminated");
            }
            for (LoopFuture<?> waiter : loopWaiters) {
                assertThat(waiter).isCompletedExceptionally();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
            // and nothing new can wait any more
            assertThat(catchThrowable(empty::take)).isInstanceOf(ClosedException.class);
        } finally {
            group.close();
            threads.shutdownNow();
        }
    }

    /**
     * While a graceful shutdown drains, the loop refuses new tasks from outside, but a thread can
     * still hand in the item that in-flight loop work is waiting for, so the work finishes and the
     * shutdown stays graceful.
     */
    @Test
    void threadCanFeedInFlightWorkWhileTheLoopDrains() throws Exception {
        EventThread group = startGroup();
        try {
            EventLoop loop = group.next();
            LoopQueue<String> queue = LoopQueue.unbounded(loop);
            LoopFuture<String> inFlight = loop.submitAsync(() -> queue.takeAsync().thenApply(s -> s + "!"));
            awaitOnLoop(loop, () -> queue.waiting() == 1);

            CompletableFuture<ShutdownReport> shutdown = group.shutdownGracefully(WAIT);
            queue.put("last item");

            assertThat(inFlight.await(WAIT)).isEqualTo("last item!");
            assertThat(shutdown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
        } finally {
            group.close();
        }
    }

    /** Polls a loop-confined condition; the waiters get there within a few loop turns. */
    private static void awaitOnLoop(EventLoop loop, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!loop.submit(condition::getAsBoolean).await(WAIT)) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}

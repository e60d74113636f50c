package io.eventthread.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression (issue 15, item 6; was {@code reliability.ShutdownNowBridgeDefectTest}):
 * {@code shutdownNow()} returns "the plain Runnables accepted and never started" — the caller's
 * own. The bridges (LoopQueue, LoopEvent, ThreadInbox) send their
 * requests and completions to the loop too; queued when the loop stops, they are the engine's,
 * not the caller's, and each of their waiters must still get an answer (a value, or an exception
 * such as {@link ClosedException} or a cancellation).
 */
@Timeout(60)
class ImmediateShutdownAnswersEveryBridgeWaiterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shutdownNowReturnsOnlyTheCallersTasksAndEveryBridgeWaiterGetsAnAnswer() throws Exception {
        EventThread group = EventThread.builder().threadNamePrefix("bridge-now").build().start();
        CountDownLatch blockerRelease = new CountDownLatch(1);
        Thread taker = null;
        try {
            EventLoop loop = group.next();
            LoopQueue<String> queue = LoopQueue.unbounded(loop);
            LoopQueue<String> other = LoopQueue.unbounded(loop);
            LoopQueue<String> threadFaced = LoopQueue.unbounded(loop);
            LoopEvent event = new LoopEvent(loop);
            ThreadInbox inbox = new ThreadInbox(loop); // owned by this thread
            LoopFuture<Void> eventWaiter = event.awaitAsync();
            LoopFuture<Integer> inboxReply = loop.submit(() -> inbox.call(() -> 42)).get(10, TimeUnit.SECONDS);

            CountDownLatch blockerIn = new CountDownLatch(1);
            loop.execute(() -> {
                blockerIn.countDown();
                awaitInterruptibly(blockerRelease); // shutdownNow's interrupt ends it
            });
            assertThat(blockerIn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            int depth = loop.stats().queueDepth();

            // engine requests, queued behind the running callback
            LoopFuture<Void> put = queue.putAsync("item");
            LoopFuture<String> take = other.takeAsync();
            queue.close();
            event.set();
            assertThat(inbox.process()).isEqualTo(1); // the reply travels to the loop
            CompletableFuture<Object> threadTake = new CompletableFuture<>();
            taker = new Thread(() -> {
                try {
                    threadTake.complete(threadFaced.take());
                } catch (Throwable t) {
                    threadTake.complete(t);
                }
            }, "d15-taker");
            taker.start();
            int engineRequests = 6;
            assertThat(eventually(() -> loop.stats().queueDepth() >= depth + engineRequests))
                    .as("engine requests queued (depth %d)", loop.stats().queueDepth()).isTrue();

            // the caller's own tasks
            Runnable mine1 = new Named("mine-1");
            Runnable mine2 = new Named("mine-2");
            loop.execute(mine1);
            loop.execute(mine2);

            List<Runnable> neverStarted = group.shutdownNow();

            assertThat(neverStarted).as("shutdownNow() returned").containsExactlyInAnyOrder(mine1, mine2);
            for (CompletableFuture<?> waiter : List.of(put, take, eventWaiter, inboxReply)) {
                assertThat(answered(waiter)).as("bridge waiter %s answered", waiter).isTrue();
            }
            assertThat(threadTake).as("the thread blocked in LoopQueue.take()").succeedsWithin(WAIT);
            assertThat(threadTake.get()).as("LoopQueue.take() outcome").isInstanceOf(ClosedException.class);
        } finally {
            blockerRelease.countDown();
            group.shutdownGracefully(Duration.ZERO).exceptionally(t -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (taker != null) {
                taker.join(WAIT.toMillis());
            }
        }
    }

    @Test
    void aPutQueuedWhenTheLoopStopsFailsWithClosedExceptionInsteadOfFillingAQueueNoOneServes() throws Exception {
        EventThread group = EventThread.builder().threadNamePrefix("bridge-put").build().start();
        CountDownLatch blockerRelease = new CountDownLatch(1);
        try {
            EventLoop loop = group.next();
            LoopQueue<String> queue = LoopQueue.unbounded(loop);
            CountDownLatch blockerIn = new CountDownLatch(1);
            loop.execute(() -> {
                blockerIn.countDown();
                awaitInterruptibly(blockerRelease);
            });
            assertThat(blockerIn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            LoopFuture<Void> put = queue.putAsync("lost?");  // queued behind the running callback
            assertThat(put).isNotDone();

            assertThat(group.shutdownNow()).isEmpty();

            assertThat(put).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(ClosedException.class);
        } finally {
            blockerRelease.countDown();
            group.shutdownGracefully(Duration.ZERO).exceptionally(t -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the future completes (any way) within the suite's wait. */
    private static boolean answered(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException done) {
            // an answer
        } catch (java.util.concurrent.TimeoutException none) {
            return false;
        }
        return true;
    }

    /** Awaits a latch inside a loop callback, returning quietly if the shutdown interrupts it. */
    private static void awaitInterruptibly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls a figure only observable by polling (the queue depth), up to WAIT. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private record Named(String name) implements Runnable {
        @Override
        public void run() {
        }
    }
}

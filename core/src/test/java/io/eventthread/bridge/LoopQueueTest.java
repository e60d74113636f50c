package io.eventthread.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two faces of {@link LoopQueue} one at a time; races and shutdown are in {@link LoopQueueRaceTest}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private EventThread group;
    private EventLoop loop;

    @BeforeEach
    void start() {
        group = EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
        loop = group.next();
    }

    @AfterEach
    void stop() {
        group.close();
    }

    @Test
    void capacityMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> LoopQueue.bounded(loop, 0))
                .withMessage("capacity: 0 (expected: > 0)");
    }

    @Test
    void threadFaceIsFifo() throws Exception {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);
        queue.put("a");
        queue.put("b");
        assertThat(queue.offer("c", WAIT)).isTrue();

        assertThat(List.of(queue.take(), queue.take(), queue.poll(WAIT))).containsExactly("a", "b", "c");
    }

    @Test
    void pollTimesOutOnAnEmptyQueue() throws Exception {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);

        assertThat(queue.poll(Duration.ofMillis(20))).isNull();
        // the abandoned request must not swallow the next item
        queue.put("next");
        assertThat(queue.take()).isEqualTo("next");
    }

    @Test
    void offerTimesOutOnAFullQueueAndTheItemIsNotQueued() throws Exception {
        LoopQueue<String> queue = LoopQueue.bounded(loop, 1);
        queue.put("first");

        assertThat(queue.offer("second", Duration.ofMillis(20))).isFalse();
        assertThat(queue.take()).isEqualTo("first");
        assertThat(queue.poll(Duration.ofMillis(20))).isNull();
    }

    @Test
    void putBlocksWhileFullUntilALoopTakerMakesRoom() throws Exception {
        LoopQueue<Integer> queue = LoopQueue.bounded(loop, 1);
        queue.put(1);
        CompletableFuture<Void> secondPut = CompletableFuture.runAsync(() -> {
            try {
                queue.put(2);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });

        assertThat(queue.takeAsync().await(WAIT)).isEqualTo(1);
        secondPut.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(queue.takeAsync().await(WAIT)).isEqualTo(2);
    }

    @Test
    void loopFaceServesWaitersFirstComeFirstServedOnTheLoop() throws Exception {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);
        List<String> order = new ArrayList<>(); // loop-confined
        List<Boolean> onLoop = new ArrayList<>();
        LoopFuture<?> registered = loop.submit(() -> {
            for (String taker : List.of("t1", "t2", "t3")) {
                queue.takeAsync().thenAccept(item -> {
                    order.add(taker + "=" + item);
                    onLoop.add(loop.inEventLoop());
                });
            }
        });
        registered.await(WAIT);

        queue.put("x");
        queue.put("y");
        queue.put("z");

        List<String> seen = loop.submit(() -> List.copyOf(order)).await(WAIT);
        assertThat(seen).containsExactly("t1=x", "t2=y", "t3=z");
        assertThat(loop.submit(() -> List.copyOf(onLoop)).await(WAIT)).containsOnly(true);
    }

    @Test
    void threadFaceOnTheLoopThreadFailsFastNamingTheAsyncMethod() {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);

        Throwable take = catchThrowable(() -> loop.submit(() -> queue.take()).await(WAIT));
        Throwable put = catchThrowable(() -> loop.submit(() -> {
            queue.put("x");
            return null;
        }).await(WAIT));

        assertThat(take).isInstanceOf(CompletionException.class).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LoopQueue.take() called on loop thread 'test-1' would block the loop")
                .hasMessageContaining("takeAsync()");
        assertThat(put).cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("putAsync()");
    }

    @Test
    void cancelledLoopTakerDoesNotLoseTheItem() throws Exception {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);
        LoopFuture<String> first = queue.takeAsync();
        LoopFuture<String> second = queue.takeAsync();
        // both requests reached the loop once a later task has run there
        loop.submit(() -> null).await(WAIT);

        assertThat(first.cancel(false)).isTrue();
        queue.put("only");

        assertThat(second.await(WAIT)).isEqualTo("only");
    }

    @Test
    void closeFailsWaitersOnBothFacesAndLetsQueuedItemsDrain() throws Exception {
        LoopQueue<String> full = LoopQueue.bounded(loop, 1);
        full.put("kept");
        LoopFuture<Void> loopPutter = full.putAsync("refused");
        LoopQueue<String> empty = LoopQueue.unbounded(loop);
        LoopFuture<String> loopTaker = empty.takeAsync();
        CountDownLatch threadTakerStarted = new CountDownLatch(1);
        CompletableFuture<Throwable> threadTaker = CompletableFuture.supplyAsync(() -> {
            threadTakerStarted.countDown();
            return catchThrowable(empty::take);
        });
        threadTakerStarted.await();

        full.close();
        empty.close();

        assertThat(catchThrowable(() -> loopPutter.await(WAIT))).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ClosedException.class).hasMessageContaining("put on closed LoopQueue");
        assertThat(catchThrowable(() -> loopTaker.await(WAIT))).cause().isInstanceOf(ClosedException.class);
        assertThat(threadTaker.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ClosedException.class);
        assertThat(full.take()).isEqualTo("kept");
        assertThatThrownBy(full::take).isInstanceOf(ClosedException.class);
        assertThatThrownBy(() -> full.put("late")).isInstanceOf(ClosedException.class)
                .hasMessageContaining("put on closed LoopQueue[test-1, capacity 1, closed]");
        assertThat(full.isClosed()).isTrue();
    }

    @Test
    void interruptedTakeGivesUpItsPlace() throws Exception {
        LoopQueue<String> queue = LoopQueue.unbounded(loop);
        Thread.currentThread().interrupt();

        assertThatThrownBy(queue::take).isInstanceOf(InterruptedException.class);

        queue.put("after");
        assertThat(queue.take()).isEqualTo("after");
    }
}

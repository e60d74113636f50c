package io.eventthread.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopState;
import io.eventthread.TestLoops;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gather's completion is the library's own work on its loop, not a user's submission: it is
 * accepted while the loop drains, runs on the loop thread, is never counted or reported as a
 * rejection, and is never handed back by an immediate shutdown as a never-started task.
 */
@Timeout(60)
class GatherDuringShutdownTest {

    private static final Duration WAIT = TestLoops.WAIT;

    @Test
    void inputCompletedFromAnotherThreadDuringAGracefulDrainCompletesTheGatherOnTheLoopWithoutARejection()
            throws Exception {
        List<String> rejections = new CopyOnWriteArrayList<>();
        EventThread group = TestLoops.builder("gather-drain").loopCount(1)
                .listener(new EventLoopListener() {
                    @Override
                    public void rejected(EventLoop loop, String reason) {
                        rejections.add(reason);
                    }
                }).build().start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            EventLoop loop = group.next();
            Thread loopThread = loop.submit(Thread::currentThread).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<String> input = new CompletableFuture<>();
            LoopFuture<List<String>> gathered = LoopFutures.gather(loop, input);
            LoopFuture<Thread> continuedOn = gathered.thenApply(values -> Thread.currentThread());
            // in-flight blocking work keeps the graceful shutdown draining until released
            LoopFuture<Object> holdsTheDrain = loop.runBlocking(() -> {
                release.await();
                return null;
            });

            CompletableFuture<?> terminated = group.shutdownGracefully(Duration.ofSeconds(30));
            assertThat(loop.state()).isEqualTo(LoopState.SHUTTING_DOWN);
            input.complete("from main");                      // another thread, during the drain
            assertThat(gathered.await(WAIT)).containsExactly("from main");
            release.countDown();
            holdsTheDrain.await(WAIT);
            terminated.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertSoftly(soft -> {
                soft.assertThat(continuedOn.getNow(null)).as("the gather's plain continuation ran on").isSameAs(loopThread);
                soft.assertThat(loop.stats().tasksRejected()).as("rejections counted").isZero();
                soft.assertThat(rejections).as("rejections reported to listeners").isEmpty();
            });
        } finally {
            release.countDown();
            group.close();
        }
    }

    @Test
    void immediateShutdownHandsBackOnlyTheCallersTasksAndAGatherWhoseInputSucceededKeepsItsValue()
            throws Exception {
        // a long force grace: the interrupted callback returns in its own time however busy the
        // machine, so the loop is never forced (a forced loop answers with ClosedException instead)
        EventThread group = TestLoops.builder("gather-now").loopCount(1).forceGrace(Duration.ofSeconds(30)).build().start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            EventLoop loop = group.next();
            CompletableFuture<String> input = new CompletableFuture<>();
            LoopFuture<List<String>> gathered = LoopFutures.gather(loop, input);
            CountDownLatch busy = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await();                          // the immediate shutdown interrupts it
                } catch (InterruptedException expected) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            int depth = loop.stats().queueDepth();
            input.complete("done");                           // its completion queues behind the callback
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (loop.stats().queueDepth() <= depth && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(loop.stats().queueDepth()).as("the gather's completion is queued").isGreaterThan(depth);
            Runnable mine = new Named("mine");
            loop.execute(mine);

            List<Runnable> neverStarted = group.shutdownNow();

            assertSoftly(soft -> {
                soft.assertThat(neverStarted).as("never-started tasks handed back").containsExactly(mine);
                soft.assertThat(gathered).as("the gather whose input succeeded")
                        .succeedsWithin(Duration.ofSeconds(40)).isEqualTo(List.of("done"));
            });
        } finally {
            release.countDown();
            group.close();
        }
    }

    private record Named(String name) implements Runnable {
        @Override
        public void run() {
        }
    }
}

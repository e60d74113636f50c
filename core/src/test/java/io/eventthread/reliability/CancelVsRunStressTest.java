package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancel vs. run, in bulk (jcstress module {@code eventthread-jcstress} checks the same race
 * one pair at a time): a canceller thread cancels tasks while the loop runs them.
 */
@Timeout(60)
class CancelVsRunStressTest {

    private static final int BATCH = 2_000;

    @Test
    void aHandleEitherRunsOrIsCancelledNeverBothNeverNeither() throws Exception {
        EventThread group = Loops.builder("cancel").build().start();
        try {
            EventLoop loop = group.next();
            long deadline = Soak.deadline();
            int rounds = 0;
            while (rounds < 10 || Soak.before(deadline)) {
                rounds++;
                AtomicIntegerArray runs = new AtomicIntegerArray(BATCH);
                AtomicReferenceArray<LoopHandle> handles = new AtomicReferenceArray<>(BATCH);
                CountDownLatch submitted = new CountDownLatch(1);
                // the canceller chases the loop through the queue, cancelling every other task
                CompletableFuture<boolean[]> cancels = CompletableFuture.supplyAsync(() -> {
                    Loops.await(submitted);
                    boolean[] won = new boolean[BATCH];
                    for (int i = 0; i < BATCH; i += 2) {
                        won[i] = published(handles, i).cancel();
                    }
                    return won;
                }, r -> new Thread(r, "canceller").start());
                for (int i = 0; i < BATCH; i++) {
                    int n = i;
                    handles.set(i, loop.callSoon(() -> runs.incrementAndGet(n)));
                    if (i == BATCH / 8) {
                        submitted.countDown();
                    }
                }
                boolean[] won = cancels.get(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                Loops.sync(loop);
                for (int i = 0; i < BATCH; i++) {
                    int ran = runs.get(i);
                    assertThat(ran).as("task %d ran at most once", i).isLessThanOrEqualTo(1);
                    assertThat(ran == 1 ^ won[i]).as("task %d: ran=%s cancel()=%s", i, ran, won[i]).isTrue();
                    assertThat(handles.get(i).isCancelled()).isEqualTo(won[i]);
                }
                Soak.OPERATIONS.addAndGet(BATCH);
                Soak.FUTURES_CHECKED.addAndGet(BATCH);
            }
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * {@code Future.cancel(false)} keeps {@code FutureTask}'s contract: it also succeeds on a task
     * that has started and not finished (the future is then cancelled, the body runs on). So
     * "cancel returned true and the body ran" is allowed here; from outside it cannot be told
     * apart from a body that started after the cancel, which is why the "never starts after a
     * cancel" promise is checked through {@link LoopHandle#cancel()} above, whose claim is exact.
     */
    @Test
    void aFutureIsEitherCancelledOrRunNeverTwiceNeverLost() throws Exception {
        EventThread group = Loops.builder("fcancel").build().start();
        try {
            EventLoop loop = group.next();
            long deadline = Soak.deadline();
            int rounds = 0;
            while (rounds < 10 || Soak.before(deadline)) {
                rounds++;
                AtomicIntegerArray runs = new AtomicIntegerArray(BATCH);
                AtomicReferenceArray<LoopFuture<Integer>> futures = new AtomicReferenceArray<>(BATCH);
                CountDownLatch submitted = new CountDownLatch(1);
                CompletableFuture<boolean[]> cancels = CompletableFuture.supplyAsync(() -> {
                    Loops.await(submitted);
                    boolean[] won = new boolean[BATCH];
                    for (int i = 0; i < BATCH; i += 2) {
                        won[i] = published(futures, i).cancel(false);
                    }
                    return won;
                }, r -> new Thread(r, "canceller").start());
                for (int i = 0; i < BATCH; i++) {
                    int n = i;
                    futures.set(i, loop.submit(() -> runs.incrementAndGet(n)));
                    if (i == BATCH / 8) {
                        submitted.countDown();
                    }
                }
                boolean[] won = cancels.get(Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                Loops.sync(loop);
                for (int i = 0; i < BATCH; i++) {
                    assertThat(runs.get(i)).as("task %d ran at most once", i).isLessThanOrEqualTo(1);
                    assertThat(futures.get(i).isDone()).isTrue();
                    assertThat(futures.get(i).isCancelled()).as("task %d", i).isEqualTo(won[i]);
                    if (!won[i]) {
                        assertThat(runs.get(i)).as("task %d neither cancelled nor run", i).isEqualTo(1);
                    }
                }
                Soak.OPERATIONS.addAndGet(BATCH);
                Soak.FUTURES_CHECKED.addAndGet(BATCH);
            }
        } finally {
            Loops.closeQuietly(group);
        }
    }


    /** The canceller chases the submitter: waits (briefly) until element {@code i} is published. */
    private static <T> T published(AtomicReferenceArray<T> array, int i) {
        T value;
        while ((value = array.get(i)) == null) {
            Thread.onSpinWait();
        }
        return value;
    }
}

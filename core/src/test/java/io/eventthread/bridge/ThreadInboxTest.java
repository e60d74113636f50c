package io.eventthread.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private EventThread group;
    private EventLoop loop;
    private ThreadInbox inbox;

    @BeforeEach
    void start() {
        group = EventThread.builder().loopCount(1).threadNamePrefix("test").build().start();
        loop = group.next();
        inbox = new ThreadInbox(loop);
    }

    @AfterEach
    void stop() {
        inbox.close();
        group.close();
    }

    @Test
    void requestsRunOnTheOwnerAndRepliesCompleteOnTheLoop() throws Exception {
        Thread owner = Thread.currentThread();
        LoopFuture<Boolean> reply = loop.submitAsync(() -> inbox.call(() -> Thread.currentThread() == owner)
                .thenApply(ranOnOwner -> ranOnOwner && loop.inEventLoop()));

        assertThat(inbox.process(WAIT)).isEqualTo(1);
        assertThat(reply.await(WAIT)).isTrue();
    }

    @Test
    void processServesWhatIsPendingWithoutWaiting() throws Exception {
        assertThat(inbox.process()).isZero();
        LoopFuture<Integer> a = inbox.call(() -> 1);
        LoopFuture<Integer> b = inbox.call(() -> 2);

        assertThat(inbox.process()).isEqualTo(2);
        assertThat(a.await(WAIT) + b.await(WAIT)).isEqualTo(3);
        assertThat(inbox.process(Duration.ofMillis(10))).isZero();
    }

    @Test
    void aFailingRequestFailsItsReplyAndTheRestAreServed() throws Exception {
        LoopFuture<Integer> failing = inbox.call(() -> {
            throw new IllegalArgumentException("bad request");
        });
        LoopFuture<Integer> fine = inbox.call(() -> 7);

        assertThat(inbox.process()).isEqualTo(2);
        assertThat(catchThrowable(() -> failing.await(WAIT))).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("bad request");
        assertThat(fine.await(WAIT)).isEqualTo(7);
    }

    @Test
    void processOnAnotherThreadFailsFast() throws Exception {
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> catchThrowable(inbox::process));

        assertThat(other.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only the owner thread '" + Thread.currentThread().getName() + "'");
    }

    @Test
    void closeFailsPendingAndLaterRequests() throws Exception {
        LoopFuture<Integer> pending = inbox.call(() -> 1);

        inbox.close();
        LoopFuture<Integer> late = inbox.call(() -> 2);

        assertThat(catchThrowable(() -> pending.await(WAIT))).cause().isInstanceOf(ClosedException.class)
                .hasMessageContaining("closed before serving");
        assertThat(catchThrowable(() -> late.await(WAIT))).cause().isInstanceOf(ClosedException.class)
                .hasMessageContaining("closed before the request was made");
        assertThat(inbox.process(WAIT)).as("a closed inbox does not wait").isZero();
    }

    @Test
    void cancelledRequestIsSkipped() throws Exception {
        boolean[] ran = new boolean[1];
        LoopFuture<Integer> cancelled = inbox.call(() -> {
            ran[0] = true;
            return 1;
        });
        cancelled.cancel(false);

        assertThat(inbox.process()).isZero();
        assertThat(ran[0]).isFalse();
    }

    /**
     * While a graceful shutdown drains, the loop refuses new tasks from outside, but the owner's
     * reply to in-flight loop work still gets through, so the shutdown stays graceful.
     */
    @Test
    void replyReachesInFlightWorkWhileTheLoopDrains() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        LoopFuture<Integer> inFlight = loop.submitAsync(() -> {
            LoopFuture<Integer> reply = inbox.call(() -> 41);
            requested.countDown();
            return reply.thenApply(n -> n + 1);
        });
        assertThat(requested.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<ShutdownReport> shutdown = group.shutdownGracefully(WAIT);
        assertThat(inbox.process(WAIT)).isEqualTo(1);

        assertThat(inFlight.await(WAIT)).isEqualTo(42);
        assertThat(shutdown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
    }

    @Test
    void cannotBeOwnedByTheLoopThread() {
        Throwable thrown = catchThrowable(() -> loop.submit(() -> new ThreadInbox(loop)).await(WAIT));

        assertThat(thrown).cause().isInstanceOf(IllegalStateException.class);
        assertThatIllegalStateException().isThrownBy(() -> {
            throw (IllegalStateException) thrown.getCause();
        }).withMessageContaining("new ThreadInbox(loop)");
    }

    @Test
    void aLoopThreadOfTheGroupIsRefusedAsOwner() throws Exception {
        try (EventThread two = EventThread.builder().loopCount(2).threadNamePrefix("inbox-owner").build().start()) {
            for (EventLoop candidate : two.loops()) {
                Thread loopThread = candidate.submit(Thread::currentThread).await(WAIT);
                org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                        .isThrownBy(() -> new ThreadInbox(two.loops().get(0), loopThread))
                        .withMessage("owner: loop thread '" + candidate.name() + "' (expected: a plain thread; the owner "
                                + "waits in process(Duration), which would stall loop '" + candidate.name()
                                + "'; serve the inbox from a thread outside the loops)");
            }
            Thread plain = new Thread(() -> { });
            try (ThreadInbox ok = new ThreadInbox(two.loops().get(0), plain)) {
                assertThat(ok.toString()).contains(plain.getName());
            }
            Throwable onOtherLoop = catchThrowable(() -> two.loops().get(1).submit(() -> new ThreadInbox(two.loops().get(0))).await(WAIT));
            assertThat(onOtherLoop).cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("new ThreadInbox(loop)");
        }
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import io.eventthread.ShutdownReport.Outcome;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Submissions, registrations and cancels racing a loop's termination: whatever the interleaving,
 * every caller gets an answer that agrees with the shutdown report — accepted work runs, or is
 * rejected to its caller, or its cancellation is reported — and nothing the loop accepted runs
 * after it terminated. Each nested class was a regression test of its own (issue 15 and the
 * reliability report); their assertions are unchanged.
 */
class ShutdownRaceTest {

    /**
     * Defect (see the reliability report): producers whose offers land after the loop's termination
     * sweep race in {@code LoopShutdown.takeBack}. The first drains the queue and cancels the others'
     * tasks; their own take-back then finds nothing, so their {@code submit} returns normally with a
     * future that is already cancelled, after a report that said GRACEFUL with nothing cancelled.
     * Correct: such a submission is rejected, or its cancellation is reported (not GRACEFUL).
     */
    @Timeout(60)
    @Nested
    class LateProducers {

        @Test
        void anAcceptedSubmissionIsNeverCancelledBehindAGracefulReport() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            int rounds = 0;
            while (System.nanoTime() - deadline < 0) {
                rounds++;
                EventThread group = Loops.builder("takeback").build().start();
                try {
                    EventLoop loop = group.next();
                    ConcurrentLinkedQueue<LoopFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
                    CountDownLatch go = new CountDownLatch(1);
                    List<CompletableFuture<Void>> producers = new ArrayList<>();
                    for (int p = 0; p < 8; p++) {
                        producers.add(CompletableFuture.runAsync(() -> {
                            Loops.await(go);
                            try {
                                while (true) {
                                    accepted.add(loop.submit(() -> 1));
                                }
                            } catch (RejectedExecutionException expected) {
                                // the shutdown has begun
                            }
                        }, r -> new Thread(r, "takeback-producer").start()));
                    }
                    go.countDown();
                    ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                    CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                    if (report.outcome() == Outcome.GRACEFUL) {
                        int round = rounds;
                        assertThat(accepted).as("round %d: %s", round, report).noneMatch(CompletableFuture::isCancelled);
                    }
                    assertThat(accepted).allMatch(CompletableFuture::isDone);
                } finally {
                    Loops.closeQuietly(group);
                }
            }
        }
    }

    /**
     * Defect (found by {@link RandomProgramsTest} on JDK 25): a timer cancelled from another thread
     * sends its unlink message to the loop; when the loop terminated between the canceller's state
     * check and the offer, the refused message was counted as a rejection although no caller saw one
     * ({@code cancel} returns normally), so {@code tasksRejected} disagreed with what callers saw.
     * Correct: a refusal of work the loop already owns is not a rejection.
     */
    @Timeout(60)
    @Nested
    class TimerCancelsAtTermination {

        @Test
        void cancellingTimersAsTheLoopTerminatesRejectsNothing() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            int rounds = 0;
            while (System.nanoTime() - deadline < 0) {
                rounds++;
                EventThread group = Loops.builder("cancel-at-end").build().start();
                try {
                    EventLoop loop = group.next();
                    List<LoopHandle> timers = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        timers.add(loop.callLater(Duration.ofHours(1), () -> { }));
                    }
                    CountDownLatch go = new CountDownLatch(1);
                    List<CompletableFuture<Void>> cancellers = new ArrayList<>();
                    for (int c = 0; c < 2; c++) {
                        int first = c;
                        cancellers.add(CompletableFuture.runAsync(() -> {
                            Loops.await(go);
                            for (int i = first; i < timers.size(); i += 2) {
                                timers.get(i).cancel();
                            }
                        }, r -> new Thread(r, "canceller").start()));
                    }
                    go.countDown();
                    group.shutdownGracefully(Duration.ZERO).get(10, TimeUnit.SECONDS);
                    CompletableFuture.allOf(cancellers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                    int round = rounds;
                    assertThat(loop.stats().tasksRejected()).as("round %d", round).isZero();
                    assertThat(timers).allMatch(LoopHandle::isCancelled);
                } finally {
                    Loops.closeQuietly(group);
                }
            }
        }
    }

    /**
     * Issue 15, "reasoned, not reproduced" point 3: a {@code runBlocking} accepted just before its
     * loop terminates could miss the loop's in-flight set and run after termination. Made certain
     * with the public API: the group's task decorator runs on the submitting thread inside
     * {@code runBlocking} (today after the acceptance check, before the task is registered as in
     * flight), and here it waits there until the loop has terminated and its thread has ended. A
     * second loop holds the group open, so the blocking pool is still up.
     *
     * <p>The promise: once a loop has terminated, no work it accepted is still to run — the call is
     * rejected, or the work is cancelled without running; and the future is done.
     */
    @Timeout(60)
    @Nested
    class BlockingWorkAtTermination {

        private static final String LATE = "late-blocking-work";

        @Test
        void blockingWorkAcceptedAsTheLoopTerminatesNeverRunsAfterIt() throws Exception {
            CountDownLatch inDecorator = new CountDownLatch(1);
            AtomicReference<EventLoop> first = new AtomicReference<>();
            EventThread group = Loops.builder("d15-late").loopCount(2).taskDecorator(task -> {
                if (task.toString().equals(LATE)) {
                    inDecorator.countDown();
                    EventLoop loop = first.get();
                    long until = System.nanoTime() + Loops.WAIT.toNanos();
                    // terminated, and its thread gone: the loop's own termination is complete
                    while (!(loop.state() == LoopState.TERMINATED && loop.threadStack().length == 0)
                            && System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                }
                return task;
            }).build().start();
            CountDownLatch releaseSecond = new CountDownLatch(1);
            try {
                EventLoop loop = group.loops().get(0);
                EventLoop second = group.loops().get(1);
                first.set(loop);
                CountDownLatch secondIn = new CountDownLatch(1);
                second.execute(() -> {
                    secondIn.countDown();
                    Loops.awaitInterruptibly(releaseSecond);
                });
                Loops.await(secondIn);

                AtomicReference<LoopState> stateWhenRun = new AtomicReference<>();
                Callable<String> work = new Callable<>() {
                    @Override
                    public String call() {
                        stateWhenRun.set(loop.state());
                        return "ran";
                    }

                    @Override
                    public String toString() {
                        return LATE;
                    }
                };
                CompletableFuture<Object> submitted = CompletableFuture.supplyAsync(() -> {
                    try {
                        LoopFuture<String> f = loop.runBlocking(work);
                        return f;
                    } catch (RuntimeException rejected) {
                        return rejected;
                    }
                }, r -> new Thread(r, "d15-late-submitter").start());
                Loops.await(inDecorator);
                CompletableFuture<ShutdownReport> done = group.shutdownGracefully(Duration.ofSeconds(5));
                Object outcome = submitted.get(10, TimeUnit.SECONDS);
                if (outcome instanceof LoopFuture<?> f) {
                    // done, or completed soon: the work (if it runs at all) is quick
                    try {
                        f.get(10, TimeUnit.SECONDS);
                    } catch (Exception ended) {
                        // cancelled or rejected: fine
                    }
                    assertThat(f).as("the future runBlocking returned").isDone();
                }
                assertThat(stateWhenRun.get()).as("the loop's state when the work accepted before its termination ran "
                        + "(null: never ran); runBlocking gave %s", outcome).isNull();
                releaseSecond.countDown();
                done.get(10, TimeUnit.SECONDS);
            } finally {
                releaseSecond.countDown();
                Loops.closeQuietly(group);
            }
        }
    }

    /**
     * Issue 15, item 3: {@code onShutdown} registrations racing the shutdown's own run of the
     * callbacks. EventLoop#onShutdown promises: registered before the shutdown, a callback runs when
     * it begins; registered once it has begun, it runs as soon as possible on the loop; once the loop
     * has terminated, never — and then its handle says so (cancelled). So after termination each
     * registration's callback has run, or its handle is cancelled: none is in neither state.
     */
    @Timeout(60)
    @Nested
    class OnShutdownRegistrations {

        private static final int MAX_TRIES = Soak.SOAKING ? 100_000 : 300;
        private static final int MAX_REGISTRATIONS = 2_000;

        private record Registration(LoopHandle handle, AtomicBoolean ran) {
        }

        @Test
        void everyRegistrationRacingTheShutdownRunsOrIsRejected() throws Exception {
            long deadline = Soak.deadline();
            int tries = 0;
            int triesWithLoss = 0;
            int lost = 0;
            int registrations = 0;
            while (tries < MAX_TRIES && (tries < 50 || Soak.before(deadline))) {
                tries++;
                List<Registration> regs = oneRace();
                registrations += regs.size();
                int lostHere = 0;
                for (Registration r : regs) {
                    if (!r.ran().get() && !r.handle().isCancelled()) {
                        lostHere++;
                    }
                }
                if (lostHere > 0) {
                    triesWithLoss++;
                    lost += lostHere;
                }
            }
            assertThat(lost).as("registrations neither run nor rejected: %d in %d of %d tries (%d registrations)", lost,
                    triesWithLoss, tries, registrations).isZero();
        }

        /** One race: a thread registers callbacks while the group shuts down, until the loop has terminated. */
        private static List<Registration> oneRace() throws Exception {
            EventThread group = Loops.builder("d15-onshutdown-race").build().start();
            List<Registration> regs = new ArrayList<>();
            try {
                EventLoop loop = group.next();
                CountDownLatch go = new CountDownLatch(1);
                Thread registrar = new Thread(() -> {
                    Loops.await(go);
                    // registrations before the shutdown begins cannot race it
                    long until = System.nanoTime() + Loops.WAIT.toNanos();
                    while (loop.state() == LoopState.RUNNING && System.nanoTime() - until < 0) {
                        Thread.onSpinWait();
                    }
                    while (regs.size() < MAX_REGISTRATIONS) {
                        boolean terminated = loop.state() == LoopState.TERMINATED;
                        AtomicBoolean ran = new AtomicBoolean();
                        regs.add(new Registration(loop.onShutdown(() -> ran.set(true)), ran));
                        if (terminated) {
                            break; // one registration after termination, to check that it is rejected too
                        }
                    }
                }, "d15-registrar");
                registrar.start();
                go.countDown();
                int spin = ThreadLocalRandom.current().nextInt(200);
                for (int i = 0; i < spin; i++) {
                    Thread.onSpinWait();
                }
                group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                registrar.join(Loops.WAIT.toMillis());
                assertThat(registrar.isAlive()).as("registrar finished").isFalse();
            } finally {
                Loops.closeQuietly(group);
            }
            return regs; // read after join: the registrar's writes are visible
        }
    }
}

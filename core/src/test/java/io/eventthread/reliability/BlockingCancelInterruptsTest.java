package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 4: EventLoop#runBlocking promises "cancelling the future interrupts the work".
 * So if {@code cancel(true)} returns true, the work either never starts or is interrupted. The
 * defect: the pool task is claimed before its runner thread is published, and a cancel between
 * the two completes the future as cancelled, finds no runner and interrupts nothing — the work
 * then runs to its end.
 *
 * <p>The work here sleeps {@link #MISSED} unless interrupted; sleeping it out means the interrupt
 * never came. The race is rare, so the randomised test makes about 10^5 tries in the default run
 * (at most {@link #BUDGET}); {@code -Deventthread.soak.seconds=N} gives it N seconds and no try
 * limit.
 */
@Timeout(90)
class BlockingCancelInterruptsTest {

    private static final long MISSED = 500;
    private static final int TRIES = Soak.SOAKING ? Integer.MAX_VALUE : 100_000;
    private static final Duration BUDGET = Soak.SOAKING ? Soak.SECONDS : Duration.ofSeconds(8);
    /** Stop a failing run early: each miss costs {@link #MISSED}. */
    private static final int ENOUGH_MISSES = 3;

    private static final int NOT_STARTED = 0;
    private static final int STARTED = 1;
    private static final int INTERRUPTED = 2;
    private static final int SLEPT_IT_OUT = 3;

    @Test
    void aCancelThatReturnsTrueInterruptsTheBlockingWork() throws Exception {
        EventThread group = Loops.builder("d15-cancel").blockingMaxThreads(1).build().start();
        try {
            EventLoop loop = group.next();
            // The pool's active count (EventThread.blockingPool()) tells when its thread has
            // picked up the task: the cancel then lands close to the claim, which makes the race
            // frequent; a small random spin spreads the cancels around it.
            long deadline = System.nanoTime() + BUDGET.toNanos();
            int tries = 0;
            int cancelledTrue = 0;
            int ranInterrupted = 0;
            int misses = 0;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (tries < TRIES && System.nanoTime() - deadline < 0 && misses < ENOUGH_MISSES) {
                tries++;
                AtomicInteger work = new AtomicInteger(NOT_STARTED);
                LoopFuture<Void> f = loop.runBlocking(() -> sleepRecording(work));
                long until = System.nanoTime() + 1_000_000;
                while (group.blockingPool().activeThreads() == 0 && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                int spin = random.nextInt(8);
                for (int i = 0; i < spin; i++) {
                    Thread.onSpinWait();
                }
                boolean cancelled = f.cancel(true);
                // the work has finished (or never will start) once the pool is idle again
                awaitIdle(group);
                if (!cancelled) {
                    continue;
                }
                cancelledTrue++;
                int outcome = work.get();
                if (outcome == INTERRUPTED) {
                    ranInterrupted++;
                } else if (outcome != NOT_STARTED) {
                    misses++;
                }
            }
            Soak.OPERATIONS.addAndGet(tries);
            assertThat(misses).as("cancel(true) returned true but the work ran uninterrupted %d time(s) in %d tries "
                    + "(%d cancels returned true, %d interrupted the running work)", misses, tries, cancelledTrue,
                    ranInterrupted).isZero();
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /**
     * The same race made certain: the test holds the monitor of the future while it cancels. That
     * relies on today's implementation publishing the runner under that monitor (an internal
     * detail), but it cannot make a correct implementation fail: holding a monitor only delays
     * the pool thread, and whatever it delays, a cancel that returns true must still stop the work.
     */
    @Test
    void aCancelLandingBetweenClaimAndRunnerPublicationStillInterrupts() throws Exception {
        EventThread group = Loops.builder("d15-cancel-held").blockingMaxThreads(1).build().start();
        try {
            EventLoop loop = group.next();
            Thread poolThread = loop.runBlocking(Thread::currentThread).get(10, TimeUnit.SECONDS);
            // the one pool thread is busy with this until the test holds the future's monitor
            java.util.concurrent.CountDownLatch releaseFirst = new java.util.concurrent.CountDownLatch(1);
            LoopFuture<Void> first = loop.runBlocking(() -> {
                Loops.awaitInterruptibly(releaseFirst);
                return null;
            });
            AtomicInteger work = new AtomicInteger(NOT_STARTED);
            LoopFuture<Void> f = loop.runBlocking(() -> sleepRecording(work));
            boolean cancelled;
            synchronized (f) {
                releaseFirst.countDown(); // the pool thread now takes f
                first.get(10, TimeUnit.SECONDS);
                // wait until the pool thread is blocked on this monitor or already in the work
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (poolThread.getState() != Thread.State.BLOCKED && work.get() == NOT_STARTED
                        && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                cancelled = f.cancel(true);
            }
            awaitIdle(group);
            assertThat(cancelled).as("cancel(true) of running or queued work").isTrue();
            assertThat(work.get()).as("the work after cancel(true) returned true (0 never started, 2 interrupted, "
                    + "3 slept %d ms uninterrupted)", MISSED).isIn(NOT_STARTED, INTERRUPTED);
        } finally {
            Loops.closeQuietly(group);
        }
    }

    /** Until the one pool thread has nothing left. */
    private static void awaitIdle(EventThread group) {
        long until = System.nanoTime() + Loops.WAIT.toNanos();
        // After the cancel, a task not yet claimed by its runner never runs, and a claimed one
        // keeps its pool thread active until it ends; so "none active, none queued" is enough
        // even if the pool thread is between taking the task and running it.
        while (group.blockingPool().activeThreads() > 0 || group.blockingPool().queuedTasks() > 0) {
            assertThat(System.nanoTime() - until).as("blocking pool idle again").isNegative();
            Thread.onSpinWait();
        }
    }

    /** Blocking work that records how far it got: started, then slept it out or was interrupted. */
    private static Void sleepRecording(AtomicInteger work) {
        work.set(STARTED);
        try {
            Thread.sleep(MISSED);
            work.set(SLEPT_IT_OUT);
        } catch (InterruptedException e) {
            work.set(INTERRUPTED);
        }
        return null;
    }
}

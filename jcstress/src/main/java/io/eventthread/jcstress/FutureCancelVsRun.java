package io.eventthread.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.eventthread.LoopFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@code submit} + {@link java.util.concurrent.Future#cancel(boolean) cancel(false)} racing the
 * loop thread. Like {@code FutureTask}, cancelling a task that has started (but not finished)
 * succeeds and completes the future as cancelled; the body then has already started, so
 * "cancelled work never starts" still holds. From outside, such a body cannot be told apart from
 * one that started after the cancel (the loop claims the task, then the body's first line runs):
 * {@link HandleCancelVsRun} checks that promise through the exact {@code LoopHandle.cancel()}.
 * What must never happen here: lost (neither ran nor cancelled), ran twice, or a future whose
 * state disagrees with cancel's answer.
 *
 * <p>r1: cancel(false) returned true; r2: times the body ran; r3: isCancelled() after the race;
 * r4: the body saw the cancel already done when its first line ran (only with r1 = r2 = 1).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "cancel won: the body never ran")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "the loop won: the body ran to completion first")
@Outcome(id = "1, 1, 1, [01]", expect = ACCEPTABLE_INTERESTING,
        desc = "cancelled while running (FutureTask semantics): the loop had claimed the task first")
@Outcome(expect = FORBIDDEN, desc = "lost, ran twice, or inconsistent state")
@State
public class FutureCancelVsRun {

    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean cancelledFirst;
    private volatile boolean sawCancelled;
    private LoopFuture<?> future;

    @Actor
    public void submitThenCancel(IIII_Result r) {
        future = SharedLoop.LOOP.submit(() -> {
            if (cancelledFirst) {
                sawCancelled = true;
            }
            runs.incrementAndGet();
        });
        boolean cancelled = future.cancel(false);
        if (cancelled) {
            cancelledFirst = true;
        }
        r.r1 = cancelled ? 1 : 0;
    }

    @Arbiter
    public void settle(IIII_Result r) {
        SharedLoop.sync();
        r.r2 = runs.get();
        r.r3 = future.isCancelled() ? 1 : 0;
        r.r4 = sawCancelled ? 1 : 0;
    }
}

package io.eventthread.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.eventthread.LoopHandle;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A timer scheduled from another thread and cancelled at once, racing the loop thread as it takes
 * the timer's insert message. The canceller and the loop each set their flag on the timer with one
 * atomic step and read the other's: a cancel that comes first keeps the loop from inserting the
 * timer, one that comes after counts it as garbage in the heap. Either way, once the loop has run
 * what was queued, the loop must count no pending timer — a lost race would count the cancelled
 * timer for its 60 seconds, or count it out twice and hide a live one (and every later outcome
 * would show it).
 *
 * <p>r1: cancel() returned true; r2: timers pending on the loop after it caught up.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "cancelled, and the loop holds nothing")
@Outcome(expect = FORBIDDEN, desc = "the cancel failed, or the cancelled timer stayed in the heap")
@State
public class TimerCancelVsInsert {

    private static final Duration LATER = Duration.ofSeconds(60);
    private static final Runnable NEVER = () -> { };

    @Actor
    public void scheduleThenCancel(II_Result r) {
        LoopHandle timer = SharedLoop.LOOP.callLater(LATER, NEVER);
        r.r1 = timer.cancel() ? 1 : 0;
    }

    @Arbiter
    public void settle(II_Result r) {
        SharedLoop.sync();
        r.r2 = SharedLoop.pendingTimers();
    }
}

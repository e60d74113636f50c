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
 * A timer due at once, cancelled from another thread while the loop inserts it, takes it out of
 * the heap and fires it. A cancel from another thread leaves the timer in the heap as garbage,
 * counted; the loop uncounts it when it drops it. The loop and the canceller each set a flag on the
 * timer with one atomic step and read the other's, so the count stays exact whichever comes first:
 * after the loop caught up, a probe timer must be the one pending timer. A count that leaked one
 * way would hide the probe (and every later outcome would show it); the other way, show two.
 *
 * <p>r1: cancel() returned true; r2: timers pending with the probe scheduled.
 */
@JCStressTest
@Outcome(id = {"0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "fired or cancelled, and the count holds the probe alone")
@Outcome(expect = FORBIDDEN, desc = "the garbage count drifted")
@State
public class TimerCancelVsFire {

    private static final Runnable NOTHING = () -> { };
    private static final Duration FAR = Duration.ofMinutes(10);

    @Actor
    public void scheduleThenCancel(II_Result r) {
        LoopHandle timer = SharedLoop.LOOP.callLater(Duration.ZERO, NOTHING);
        r.r1 = timer.cancel() ? 1 : 0;
    }

    @Arbiter
    public void settle(II_Result r) {
        SharedLoop.sync();
        LoopHandle probe = SharedLoop.LOOP.callLater(FAR, NOTHING);
        SharedLoop.sync();
        r.r2 = SharedLoop.pendingTimers();
        probe.cancel();
    }
}

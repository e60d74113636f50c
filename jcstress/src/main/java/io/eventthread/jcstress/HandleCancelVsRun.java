package io.eventthread.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.eventthread.LoopHandle;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code callSoon} + {@link LoopHandle#cancel()} racing the loop thread that runs the callback.
 * The handle's promise: exactly one of "it ran" or "cancel returned true", never both, never
 * neither, and it never starts after a successful cancel.
 *
 * <p>r1: cancel() returned true; r2: times the callback ran; r3: the callback saw the cancel
 * already done when it started.
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "cancel won: the callback never ran")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the loop won: the callback ran, cancel returned false")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "both ran and cancelled")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "neither ran nor cancelled: lost")
@Outcome(expect = FORBIDDEN, desc = "ran twice, or started after a successful cancel")
@State
public class HandleCancelVsRun {

    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean cancelledFirst;
    private volatile boolean sawCancelled;

    @Actor
    public void submitThenCancel(III_Result r) {
        LoopHandle handle = SharedLoop.LOOP.callSoon(() -> {
            if (cancelledFirst) {
                sawCancelled = true;
            }
            runs.incrementAndGet();
        });
        boolean cancelled = handle.cancel();
        if (cancelled) {
            cancelledFirst = true;
        }
        r.r1 = cancelled ? 1 : 0;
    }

    @Arbiter
    public void settle(III_Result r) {
        SharedLoop.sync();
        r.r2 = runs.get();
        r.r3 = sawCancelled ? 1 : 0;
    }
}

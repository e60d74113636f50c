package io.eventthread.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * What a loop thread does when a turn found no work, in the spirit of Agrona's
 * {@code BackoffIdleStrategy}: poll for {@code spinNanos} (so bursts a few microseconds apart do
 * not pay the operating system's wake-up), then park until woken or until the next timer or
 * deadline. It also owns the wake-up protocol, a Dekker pair: the loop writes {@code parked = 1},
 * then re-checks for work; a producer makes work, then reads {@code parked}. One of them sees the
 * other, so no wake-up is lost, and a busy loop costs its producers no system call.
 */
final class IdleStrategy {

    /** What the loop offers the strategy to look at: is there work, and how long may it sleep. */
    interface Work {
        /** @return whether work arrived (queue not empty, state changed, wake requested) */
        boolean arrived();

        /**
         * @return as {@link #arrived()}, but from what the loop can read without touching the
         *         producers' lines; it may answer {@code false} a little late, never wrongly
         *         {@code true}. For spinning; the check before parking uses {@link #arrived()}.
         */
        boolean seen();

        /** @return nanoseconds to park at most; -1 for no limit; 0 to not park */
        long parkNanos();
    }

    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(IdleStrategy.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long spinNanos;
    /** 1 while the loop thread is parked or about to park; producers flip it to 0 and unpark. */
    private volatile int parked;

    IdleStrategy(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** Loop thread: spins, then parks unless work arrives. */
    void idle(Work work) {
        if (spinNanos > 0) {
            long until = System.nanoTime() + spinNanos;
            while (!work.seen()) {
                if (System.nanoTime() - until >= 0) {
                    break;
                }
                Thread.onSpinWait();
            }
            if (work.arrived()) {
                return;
            }
        }
        long parkNanos = work.parkNanos();
        if (parkNanos == 0) {
            return;
        }
        parked = 1;
        // the Dekker re-check: a producer that made work before reading `parked` is seen here
        if (work.arrived()) {
            parked = 0;
            return;
        }
        // an interrupt left by a callback (or by a shutdown's interrupt) would make park return at once
        Thread.interrupted();
        if (parkNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, parkNanos);
        }
        parked = 0;
    }

    /** Any thread, after making work: unparks the loop thread if it parked; cheap when it is awake. */
    void wake(Thread loopThread) {
        if (parked == 1 && PARKED.compareAndSet(this, 1, 0)) {
            LockSupport.unpark(loopThread);
        }
    }

    /** Spins a waiting thread for the same budget, or until {@code done} holds, before it parks. */
    void spinUntil(java.util.function.BooleanSupplier done) {
        if (spinNanos == 0) {
            return;
        }
        long until = System.nanoTime() + spinNanos;
        while (!done.getAsBoolean() && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    boolean isParked() {
        return parked == 1;
    }
}

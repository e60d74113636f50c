package io.eventthread.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter that other threads add to and the loop reads, alone on its cache lines: written next
 * to fields the loop writes, every add would pull the line away from the loop and every loop write
 * away from the adders (false sharing). The padding is in superclasses because the JVM lays out a
 * superclass's fields first; 128 bytes each side, as JCTools pads, since a core prefetches lines in
 * pairs.
 */
final class PaddedCounter extends PaddedCounterValue {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedCounterValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

    /** @return the value after adding one */
    long increment() {
        return (long) VALUE.getAndAdd(this, 1L) + 1;
    }

    long get() {
        return value;
    }
}

/** The padding before the value. */
abstract class PaddedCounterPad {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The value, between the paddings. */
abstract class PaddedCounterValue extends PaddedCounterPad {
    volatile long value;
}

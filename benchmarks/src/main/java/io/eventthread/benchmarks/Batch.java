package io.eventthread.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * One producer's reusable batch of trivial tasks: sends {@link #SIZE} tasks, then waits until the
 * consumer ran the last, in one of two styles ({@link #SPIN_YIELD}, {@link #SPIN_PARK}).
 *
 * <p>The waiting style matters on two cores: three or more threads share two CPUs, and whether a
 * waiting producer gives its CPU back (parks) or keeps it (yields and is rescheduled at once)
 * changes how long the consumer runs undisturbed. A figure that holds in only one style is a
 * property of the scheduler, not of the queue, so the execute benchmarks measure both.
 */
public final class Batch {

    /** Tasks per batch: large enough that the wait at the end is noise, small enough to keep queues short. */
    public static final int SIZE = 1_000;

    /** Spin for a while, then {@code Thread.yield()} until done: the producer never sleeps. */
    public static final String SPIN_YIELD = "spinYield";

    /** Spin for up to {@link #SPIN_NANOS}, then park until the last task unparks this producer. */
    public static final String SPIN_PARK = "spinPark";

    /** How long a {@link #SPIN_PARK} producer spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    /**
     * Incremented only on the consumer thread, so a plain field suffices; it keeps the task from
     * being trivially empty without adding a memory barrier of its own.
     */
    static long counter;

    /** The shared task: no capture, so executing it allocates nothing in the producer. */
    static final Runnable TASK = () -> counter++;

    /** The last task of each batch; reused so the measured path allocates nothing. */
    private final Runnable last = this::finish;

    private final boolean park;

    private volatile boolean done;

    /** Set by a parking producer before its final check of {@link #done}; read by {@link #finish}. */
    private volatile Thread parked;

    /**
     * @param style {@link #SPIN_YIELD} or {@link #SPIN_PARK}
     */
    public Batch(String style) {
        switch (style) {
            case SPIN_YIELD:
                park = false;
                break;
            case SPIN_PARK:
                park = true;
                break;
            default:
                throw new IllegalArgumentException("wait: " + style + " (expected: " + SPIN_YIELD + " or " + SPIN_PARK + ")");
        }
    }

    /** A {@link #SPIN_YIELD} batch. */
    public Batch() {
        this(SPIN_YIELD);
    }

    private void finish() {
        counter++;
        done = true;
        // Dekker pair with awaitParking: done is written before parked is read, and the producer
        // writes parked before it re-reads done, so one of the two sees the other.
        Thread waiter = parked;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Sends one batch and waits for it.
     * @param executor where to send the tasks (a {@link Candidate}, not a method reference, which would allocate per call)
     */
    public void run(Candidate executor) {
        done = false;
        for (int i = 1; i < SIZE; i++) {
            executor.execute(TASK);
        }
        executor.execute(last);
        if (park) {
            awaitParking();
        } else {
            awaitYielding();
        }
    }

    private void awaitYielding() {
        int spins = 0;
        while (!done) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void awaitParking() {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!done) {
            if (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
                continue;
            }
            parked = Thread.currentThread();
            while (!done) {
                LockSupport.park(this);
            }
            parked = null;
        }
    }
}

package io.eventthread.benchmarks;

/**
 * One producer's reusable batch of trivial tasks: sends {@link #SIZE} tasks and waits, spinning, until the consumer ran the last.
 */
public final class Batch {

    /** Tasks per batch: large enough that the wait at the end is noise, small enough to keep queues short. */
    public static final int SIZE = 1_000;

    /**
     * Incremented only on the consumer thread, so a plain field suffices; it keeps the task from
     * being trivially empty without adding a memory barrier of its own.
     */
    static long counter;

    /** The shared task: no capture, so executing it allocates nothing in the producer. */
    static final Runnable TASK = () -> counter++;

    /** The last task of each batch; reused so the measured path allocates nothing. */
    private final Runnable last = this::finish;

    private volatile boolean done;

    private void finish() {
        counter++;
        done = true;
    }

    /**
     * Sends one batch and waits for it. Spinning rather than parking keeps the operating system's
     * wake-up latency (about 50 µs here) out of a figure meant to be about the queue; after a
     * while it yields so that, on two cores, the consumer and a second producer can still run.
     * @param executor where to send the tasks (a {@link Candidate}, not a method reference, which would allocate per call)
     */
    public void run(Candidate executor) {
        done = false;
        for (int i = 1; i < SIZE; i++) {
            executor.execute(TASK);
        }
        executor.execute(last);
        int spins = 0;
        while (!done) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}

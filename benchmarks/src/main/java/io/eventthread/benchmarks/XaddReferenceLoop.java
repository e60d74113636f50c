package io.eventthread.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * A reference loop, not a product: one thread draining JCTools' {@link MpscUnboundedXaddArrayQueue}
 * (producers claim a slot with one atomic add, so contention costs no CAS retries), polling for
 * {@link #IDLE_SPIN_NANOS} before it parks, with the usual wake-up flag so a busy loop costs its
 * producers no system call. No timers, no futures, no shutdown drain, no instrumentation: the
 * floor a queue-and-park design can reach here, against which the real loops are read.
 */
final class XaddReferenceLoop implements AutoCloseable {

    /** How long the loop polls an empty queue before it parks. */
    static final long IDLE_SPIN_NANOS = 5_000;

    private static final int AWAKE = 0;
    private static final int PARKED = 1;

    private final MpscUnboundedXaddArrayQueue<Runnable> queue = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicInteger state = new AtomicInteger(AWAKE);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread = new Thread(this::run, "bench-xadd");
    private volatile boolean running = true;

    XaddReferenceLoop() {
        thread.setDaemon(true);
        thread.start();
    }

    void execute(Runnable task) {
        queue.offer(task);
        if (state.get() == PARKED && state.compareAndSet(PARKED, AWAKE)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running) {
            Runnable task = queue.poll();
            if (task != null) {
                task.run();
                continue;
            }
            idle();
        }
        stopped.complete(null);
    }

    private void idle() {
        long until = System.nanoTime() + IDLE_SPIN_NANOS;
        while (System.nanoTime() - until < 0) {
            if (!queue.isEmpty()) {
                return;
            }
            Thread.onSpinWait();
        }
        state.set(PARKED);
        // Dekker pair with execute: the flag is written before the queue is re-read, and a producer
        // offers before it reads the flag, so one of the two sees the other.
        if (queue.isEmpty() && running) {
            LockSupport.park(this);
        }
        state.set(AWAKE);
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        stopped.orTimeout(Candidate.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
}

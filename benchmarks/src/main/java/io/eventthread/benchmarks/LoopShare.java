package io.eventthread.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A second harness for the execute figures, outside JMH: plain producer threads send {@link Batch}es
 * to a {@link Candidate} for a while, and it prints tasks/s with the CPU time the loop thread and
 * the producers used. The CPU split says what bounds a run — a loop thread at ~100 % of a core is
 * the bottleneck, and its nanoseconds of CPU per task are then the figure to compare — which JMH's
 * score alone cannot tell.
 *
 * <p>{@code java -cp benchmarks.jar io.eventthread.benchmarks.LoopShare CANDIDATE spinPark|spinYield PRODUCERS SECONDS}
 */
public final class LoopShare {

    private LoopShare() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoopShare CANDIDATE spinPark|spinYield PRODUCERS SECONDS");
            System.exit(2);
        }
        String name = args[0];
        String style = args[1];
        int producers = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        try (Candidate candidate = Candidate.create(name)) {
            CompletableFuture<Thread> loopThread = new CompletableFuture<>();
            candidate.execute(() -> loopThread.complete(Thread.currentThread()));
            long loop = loopThread.get(5, TimeUnit.SECONDS).getId();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong batches = new AtomicLong();
            Thread[] senders = new Thread[producers];
            for (int i = 0; i < producers; i++) {
                senders[i] = new Thread(() -> {
                    Batch batch = new Batch(style);
                    while (!stop.get()) {
                        batch.run(candidate);
                        batches.incrementAndGet();
                    }
                }, "producer-" + i);
                senders[i].start();
            }
            TimeUnit.SECONDS.sleep(2); // warm-up
            long batches0 = batches.get();
            long loopCpu0 = threads.getThreadCpuTime(loop);
            long producerCpu0 = cpu(threads, senders);
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            long elapsed = System.nanoTime() - start;
            long loopCpu = threads.getThreadCpuTime(loop) - loopCpu0;
            long producerCpu = cpu(threads, senders) - producerCpu0;
            double tasks = (batches.get() - batches0) * (double) Batch.SIZE;
            stop.set(true);
            for (Thread sender : senders) {
                sender.join();
            }
            System.out.printf("%-18s %-9s %d producers: %6.1f M tasks/s; loop thread %3.0f %% of a core, %5.1f ns CPU/task;"
                    + " producers %3.0f %% of a core%n", name, style, producers, tasks / elapsed * 1e3,
                    100.0 * loopCpu / elapsed, loopCpu / tasks, 100.0 * producerCpu / elapsed);
        }
    }

    private static long cpu(ThreadMXBean threads, Thread[] senders) {
        long sum = 0;
        for (Thread sender : senders) {
            sum += threads.getThreadCpuTime(sender.getId());
        }
        return sum;
    }
}

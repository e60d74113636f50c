package io.eventthread.benchmarks;

import java.time.Duration;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap held per pending timer: 10,000 timers scheduled from outside the thread, far in the future,
 * measured as the live heap after a full collection, with and without them. The secondary result
 * {@code bytesPerTimer} is the figure; the primary score (time to schedule) is incidental.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class TimerMemoryBenchmark {

    static final int TIMERS = 10_000;

    /** Never due within a run; every timer is cancelled in the teardown. */
    static final long DELAY_MILLIS = 600_000;

    private static final Runnable NEVER = () -> {
        throw new AssertionError("a pending timer ran");
    };

    @Param({"eventthread", "eventthreadCallLater", "nettyNio", "stpe"})
    String executor;

    Candidate candidate;

    final Object[] handles = new Object[TIMERS];

    long baseline;

    /** Bytes of live heap per pending timer, set once per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Held {
        public double bytesPerTimer;
    }

    @Setup(Level.Iteration)
    public void start() throws Exception {
        candidate = Candidate.create(executor);
        candidate.submit(() -> Boolean.TRUE).get();
        baseline = liveHeap();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        for (int i = 0; i < TIMERS; i++) {
            candidate.cancel(handles[i]);
            handles[i] = null;
        }
        candidate.close();
    }

    @Benchmark
    public void schedulePending(Held held) throws Exception {
        for (int i = 0; i < TIMERS; i++) {
            handles[i] = candidate.schedule(NEVER, Duration.ofMillis(DELAY_MILLIS + i));
        }
        // A round trip, so loops that insert foreign timers on their own thread have done so.
        candidate.submit(() -> Boolean.TRUE).get();
        held.bytesPerTimer = (double) (liveHeap() - baseline) / TIMERS;
    }

    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

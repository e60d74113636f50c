package io.eventthread.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Schedule 10,000 timers at random delays of 1–60 s, then cancel them all, from outside the loop; the score is pairs/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimerBenchmark {

    static final int TIMERS = 10_000;

    /** A timer that never fires within the benchmark: every one is cancelled long before it is due. */
    private static final Runnable NEVER = () -> {
        throw new AssertionError("a cancelled timer ran");
    };

    @Param({"eventthread", "eventthreadCallLater", "nettyNio", "nettyDefault", "stpe", "stpeRemove", "spring"})
    String executor;

    Candidate candidate;

    /** Precomputed with a fixed seed so every candidate builds the same heap shape. */
    final long[] delaysMillis = new long[TIMERS];

    final Object[] handles = new Object[TIMERS];

    @Setup
    public void start() {
        candidate = Candidate.create(executor);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TIMERS; i++) {
            delaysMillis[i] = random.nextLong(1_000, 60_001);
        }
    }

    @TearDown
    public void stop() {
        candidate.close();
    }

    /**
     * One invocation is 10,000 schedule+cancel pairs. It ends with a round trip through the
     * executor so that loops which apply schedule and cancel on their own thread (Netty, from
     * outside the loop) are charged for that work instead of leaving it queued.
     */
    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public void scheduleThenCancel(Blackhole bh) throws Exception {
        for (int i = 0; i < TIMERS; i++) {
            handles[i] = candidate.schedule(NEVER, delaysMillis[i]);
        }
        for (int i = 0; i < TIMERS; i++) {
            bh.consume(candidate.cancel(handles[i]));
        }
        bh.consume(candidate.submit(() -> Boolean.TRUE).get());
    }
}

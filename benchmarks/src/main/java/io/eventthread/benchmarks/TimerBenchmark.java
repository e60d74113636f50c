package io.eventthread.benchmarks;

import java.time.Duration;
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
 * Schedule 10,000 one-shot timers at random delays of 1–1000 ms, then cancel them all, from outside the
 * loop, then one round trip; the score is pairs/s. The delays are issue 21's: short enough that the
 * earliest timers fall due while the batch is still being scheduled (one that fires before its
 * cancel simply runs), so a loop's timed waits and wake-ups are part of the figure, as in a server's
 * request timeouts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimerBenchmark {

    static final int TIMERS = 10_000;

    /** Almost every timer is cancelled before it is due; the few with the shortest delays may run first. */
    private static final Runnable TIMEOUT = () -> { };

    @Param({"eventthread", "eventthreadCallLater", "nettyNio", "nettyDefault", "stpe", "stpeRemove", "spring"})
    String executor;

    /**
     * The spread of the delays: {@code 1-1000ms} (issue 21's cell, the default) or {@code 1-60s}
     * (this suite's earlier cell, where no timer falls due while the batch is scheduled).
     */
    @Param({"1-1000ms"})
    String delays;

    Candidate candidate;

    /** Precomputed with a fixed seed so every candidate builds the same heap shape. */
    final Duration[] delayOf = new Duration[TIMERS];

    final Object[] handles = new Object[TIMERS];

    @Setup
    public void start() {
        candidate = Candidate.create(executor);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < TIMERS; i++) {
            delayOf[i] = switch (this.delays) {
                case "1-1000ms" -> Duration.ofMillis(random.nextLong(1, 1_001));
                case "1-60s" -> Duration.ofMillis(random.nextLong(1_000, 60_001));
                default -> throw new IllegalArgumentException("delays: " + this.delays + " (expected: 1-1000ms or 1-60s)");
            };
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
            handles[i] = candidate.schedule(TIMEOUT, delayOf[i]);
        }
        for (int i = 0; i < TIMERS; i++) {
            bh.consume(candidate.cancel(handles[i]));
        }
        bh.consume(candidate.submit(() -> Boolean.TRUE).get());
    }
}

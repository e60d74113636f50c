package io.eventthread.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Submit a Callable and block on its result: mean and percentiles (p50, p99, p99.9) of the round trip, in µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoundTripBenchmark {

    /** Shared and non-capturing, so the only allocation is the executor's own. */
    private static final Callable<Integer> ANSWER = () -> 42;

    @Param({"eventthread", "eventthreadNoSpin", "nettyNio", "nettyDefault", "jdkSingle", "stpe", "spring"})
    String executor;

    Candidate candidate;

    @Setup
    public void start() {
        candidate = Candidate.create(executor);
    }

    @TearDown
    public void stop() {
        candidate.close();
    }

    @Benchmark
    public void submitAndGet(Blackhole bh) throws Exception {
        bh.consume(candidate.submit(ANSWER).get());
    }
}

package io.eventthread.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EventThread alone: one-producer execute throughput (tasks/s) with the engine's instrumentation on and off.
 *
 * <p>The engine reads {@code eventthread.instrumentation} once, when its classes load, so each
 * variant needs its own JVM: the switch is a method-level {@code @Fork}, not a {@code @Param}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class InstrumentationBenchmark {

    Candidate candidate;

    final Batch batch = new Batch();

    @Setup
    public void start() {
        candidate = Candidate.create(Candidate.EVENTTHREAD);
    }

    @TearDown
    public void stop() {
        candidate.close();
    }

    /** The default: stats, slow-callback and stuck-loop detection on. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public void instrumentationOn() {
        batch.run(candidate);
    }

    /** Instrumentation off; the method-level fork keeps the class-level fork count unless the command line sets it. */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = "-Deventthread.instrumentation=false")
    @OperationsPerInvocation(Batch.SIZE)
    public void instrumentationOff() {
        batch.run(candidate);
    }
}

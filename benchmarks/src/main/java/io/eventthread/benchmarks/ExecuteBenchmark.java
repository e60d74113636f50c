package io.eventthread.benchmarks;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Execute throughput in tasks/s with one, two and four producers, each waiting for its batch in
 * both styles of {@link Batch}; run with {@code -prof gc} for allocation per execute.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExecuteBenchmark {

    @Param({"eventthread", "eventthreadNoSpin", "nettyNio", "nettyDefault", "jdkSingle", "xaddRef"})
    String executor;

    /** How a producer waits for its batch: {@link Batch#SPIN_YIELD} or {@link Batch#SPIN_PARK}. */
    @Param({Batch.SPIN_PARK, Batch.SPIN_YIELD})
    String wait;

    Candidate candidate;

    /** Each producer thread has its own batch and so its own completion flag. */
    @State(Scope.Thread)
    public static class Producer {
        Batch batch;

        @Setup
        public void create(ExecuteBenchmark benchmark) {
            batch = new Batch(benchmark.wait);
        }
    }

    @Setup
    public void start() {
        candidate = Candidate.create(executor);
    }

    @TearDown
    public void stop() {
        candidate.close();
    }

    /** One producer; the score is tasks/s. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public void oneProducer(Producer producer) {
        producer.batch.run(candidate);
    }

    /** Two producers contending on the queue; the score is the sum, in tasks/s. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(Batch.SIZE)
    public void twoProducers(Producer producer) {
        producer.batch.run(candidate);
    }

    /** Four producers on two cores: more runnable threads than CPUs, as on a busy host. */
    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(Batch.SIZE)
    public void fourProducers(Producer producer) {
        producer.batch.run(candidate);
    }
}

package io.eventthread.benchmarks;

import io.eventthread.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

/**
 * A start plus {@value #STEPS} async continuations, all on one thread, joined by the caller: chain completions/s.
 *
 * <p>{@code eventthread} uses its own API ({@code submitAsync}, then {@code thenApplyAsync}
 * without an executor, which a {@code LoopFuture} runs on its loop); the others use
 * {@code CompletableFuture.supplyAsync} and {@code thenApplyAsync} with the executor passed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class AsyncChainBenchmark {

    static final int STEPS = 10;

    @Param({"eventthread", "eventthreadNoSpin", "nettyNio", "jdkSingle"})
    String executor;

    Candidate candidate;

    EventLoop loop;

    /** Candidate as a plain Executor, for the CompletableFuture path. */
    Executor asExecutor;

    @Setup
    public void start() {
        candidate = Candidate.create(executor);
        loop = candidate instanceof Candidate.EventThreadCandidate et ? et.loop() : null;
        asExecutor = candidate::execute;
    }

    @TearDown
    public void stop() {
        candidate.close();
    }

    @Benchmark
    public int chain() {
        CompletableFuture<Integer> f;
        if (loop != null) {
            f = loop.submitAsync(() -> CompletableFuture.completedFuture(1));
            for (int i = 0; i < STEPS; i++) {
                f = f.thenApplyAsync(x -> x + 1);
            }
        } else {
            f = CompletableFuture.supplyAsync(() -> 1, asExecutor);
            for (int i = 0; i < STEPS; i++) {
                f = f.thenApplyAsync(x -> x + 1, asExecutor);
            }
        }
        return f.join();
    }
}

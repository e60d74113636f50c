package io.eventthread.benchmarks;

import io.eventthread.EventThread;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
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

/**
 * What Flight Recorder costs {@code execute}, in tasks/s with one producer:
 * <ul>
 *   <li>{@code off}: {@code flightRecorder(false)}, the baseline;</li>
 *   <li>{@code idle}: the default, events wired in but no recording running;</li>
 *   <li>{@code recording}: a recording of every {@code io.eventthread.*} event running;</li>
 *   <li>{@code detection}: {@code blockingDetection(true)}, its event stream of the JDK's sleep,
 *       I/O, monitor and park events running.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class FlightRecorderBenchmark {

    @Param({"off", "idle", "recording", "detection"})
    String mode;

    Candidate loop;
    Recording recording;

    /** The batch of {@link ExecuteBenchmark}'s one-producer spin-then-yield case. */
    final Batch batch = new Batch(Batch.SPIN_YIELD);

    @Setup
    public void start() {
        EventThread.Builder builder = EventThread.builder();
        switch (mode) {
            case "off" -> builder.flightRecorder(false);
            case "idle" -> { }
            case "recording" -> {
                recording = new Recording();
                recording.enable("io.eventthread.SlowCallback");
                recording.enable("io.eventthread.StuckLoop");
                recording.enable("io.eventthread.LoopRecovered");
                recording.enable("io.eventthread.BlockingCall");
                recording.enable("io.eventthread.Shutdown");
                recording.enable("io.eventthread.LoopSample").withPeriod(Duration.ofSeconds(1));
                recording.start();
            }
            case "detection" -> builder.blockingDetection(true);
            default -> throw new IllegalArgumentException("mode: " + mode);
        }
        loop = new Candidate.EventThreadCandidate(builder, false);
    }

    @TearDown
    public void stop() {
        loop.close();
        if (recording != null) {
            recording.close();
        }
    }

    /** A batch of {@link Batch#SIZE} trivial tasks from one producer, as {@link ExecuteBenchmark}. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public void execute() {
        batch.run(loop);
    }
}

package io.eventthread.benchmarks;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
 * CPU that a started, idle group of four loops costs the process, per second of wall time. The
 * benchmark thread only sleeps; the secondary result {@code cpuNanos} (per second) is the whole
 * process's CPU time over those sleeps, so {@code none} (no group at all) is the JVM's own floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class IdleCpuBenchmark {

    static final int LOOPS = 4;

    @Param({"eventthread", "nettyNio", "none"})
    String executor;

    EventThread eventThread;

    MultiThreadIoEventLoopGroup netty;

    /** The process's CPU time, accumulated over each measured sleep. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Cpu {
        /** Process CPU time in ns; normalised per second of benchmark time by JMH. */
        public long cpuNanos;
    }

    @Setup
    public void start() throws Exception {
        switch (executor) {
            case Candidate.EVENTTHREAD:
                eventThread = EventThread.builder().loopCount(LOOPS).threadNamePrefix("bench").build().start();
                for (EventLoop loop : eventThread.loops()) {
                    loop.submit(() -> 1).get();
                }
                break;
            case Candidate.NETTY_NIO:
                netty = new MultiThreadIoEventLoopGroup(LOOPS, NioIoHandler.newFactory());
                for (EventExecutor loop : netty) {
                    loop.submit(() -> 1).get();
                }
                break;
            case "none":
                break;
            default:
                throw new IllegalArgumentException("executor: " + executor + " (expected: eventthread, nettyNio or none)");
        }
    }

    @TearDown
    public void stop() {
        if (eventThread != null) {
            eventThread.shutdownGracefully(Candidate.STOP_TIMEOUT).join();
        }
        if (netty != null) {
            netty.shutdownGracefully(0, Candidate.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    /** One sleep of 100 ms with every loop idle; the primary score (sleeps/s) only says the harness ran. */
    @Benchmark
    public void idle(Cpu cpu) throws InterruptedException {
        long before = processCpuNanos();
        Thread.sleep(Duration.ofMillis(100).toMillis());
        cpu.cpuNanos += processCpuNanos() - before;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

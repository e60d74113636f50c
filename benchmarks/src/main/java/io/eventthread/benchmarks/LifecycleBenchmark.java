package io.eventthread.benchmarks;

import io.eventthread.EventThread;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutorGroup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Graceful stop of an idle, started group of 1 or 8 loops, in ms; building and starting happen in the untimed setup.
 *
 * <p>Single-shot: one stop per iteration, a fresh group built before each, since a stopped
 * group cannot be restarted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 10)
@Measurement(iterations = 40)
public class LifecycleBenchmark {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Param({"eventthread", "nettyNio", "nettyDefault"})
    String executor;

    @Param({"1", "8"})
    int loops;

    EventThread eventThread;

    EventExecutorGroup netty;

    @Setup(Level.Iteration)
    @SuppressWarnings("deprecation") // DefaultEventLoopGroup is deprecated in Netty 4.2, but it is the peer measured
    public void buildAndStart() throws Exception {
        switch (executor) {
            case Candidate.EVENTTHREAD:
                eventThread = EventThread.builder().loopCount(loops).threadNamePrefix("bench").build().start();
                // A round trip on every loop, so each thread is running and idle when the stop starts.
                for (var loop : eventThread.loops()) {
                    loop.submit(() -> null).get();
                }
                break;
            case Candidate.NETTY_NIO:
                netty = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
                warmUp(netty);
                break;
            case Candidate.NETTY_DEFAULT:
                netty = new DefaultEventLoopGroup(loops);
                warmUp(netty);
                break;
            default:
                throw new IllegalArgumentException("executor: " + executor + " (expected: eventthread, nettyNio, nettyDefault)");
        }
    }

    /** Netty starts a loop's thread lazily, on its first task: start them all before timing the stop. */
    private static void warmUp(EventExecutorGroup group) throws Exception {
        for (var loop : group) {
            loop.submit(() -> null).get();
        }
    }

    @Benchmark
    public void stop(Blackhole bh) {
        if (eventThread != null) {
            bh.consume(eventThread.shutdownGracefully(TIMEOUT).join());
        } else {
            bh.consume(netty.shutdownGracefully(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly());
        }
    }

    /** Nothing to stop unless the benchmark failed half-way; then make sure no threads leak into the next iteration. */
    @TearDown(Level.Iteration)
    public void forget() {
        if (eventThread != null && !eventThread.isTerminated()) {
            eventThread.shutdownGracefully(TIMEOUT).join();
        }
        if (netty != null && !netty.isTerminated()) {
            netty.shutdownGracefully(0, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        eventThread = null;
        netty = null;
    }
}

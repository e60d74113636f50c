package io.eventthread.internal;

import io.eventthread.BlockingOperationException;
import io.eventthread.BlockingPoolStats;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import io.eventthread.internal.jfr.BlockingCallDetector;
import io.eventthread.internal.jfr.Diagnostics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The engine's {@link EventThread}: its loops, its blocking pool and its shutdown. Built by
 * {@link GroupBuilder}; the API's contract is on {@code EventThread}.
 */
public final class LoopGroup extends EventThread {

    private final String name;
    private final LoopSettings settings;
    private final List<DefaultEventLoop> loops;
    private final List<LoopCore> cores;
    private final List<EventLoop> loopView;
    private final BlockingPool blockingPool;
    private final AtomicInteger nextIndex = new AtomicInteger();
    /** Threads running a forced termination and what follows it; the blocking guards know them. */
    private final java.util.Set<Thread> terminators = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final GroupShutdown shutdown;
    /** Started with the loops when blocking detection is on, else {@code null}. */
    private final BlockingCallDetector blockingDetector;

    /**
     * @param configured the validated settings
     * @param diagnostics the Flight Recorder settings, wired into the group here
     */
    LoopGroup(LoopSettings configured, Diagnostics diagnostics) {
        this.name = GroupNames.claim(configured.threadNamePrefix());
        LoopSettings settings = configured.withThreadNamePrefix(name);
        this.settings = settings;
        this.blockingPool = new BlockingPool(settings);
        List<DefaultEventLoop> created = new ArrayList<>(settings.loopCount());
        List<LoopCore> createdCores = new ArrayList<>(settings.loopCount());
        for (int i = 0; i < settings.loopCount(); i++) {
            DefaultEventLoop loop = new DefaultEventLoop(this, settings, blockingPool, i);
            created.add(loop);
            createdCores.add(loop.core);
        }
        this.loops = List.copyOf(created);
        this.cores = List.copyOf(createdCores);
        this.loopView = List.copyOf(created);
        this.shutdown = new GroupShutdown(name, cores, blockingPool, settings.clock());
        // a stuck (FORCED) thread may still run under its name: that name stays taken
        shutdown.onTermination(report -> {
            if (report.stuckLoops().isEmpty()) {
                GroupNames.release(name);
            }
        });
        this.blockingDetector = diagnostics.install(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<EventLoop> loops() {
        return loopView;
    }

    @Override
    public EventLoop next() {
        if (loops.size() == 1) {
            return loops.get(0);
        }
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    @Override
    public EventLoop loopFor(Object key) {
        Objects.requireNonNull(key, "key");
        return loops.get(index(key.hashCode(), loops.size()));
    }

    /**
     * Fibonacci hashing of all 32 bits of {@code hash} into 64, then the product's high 32 bits
     * scaled to {@code [0, n)} by a multiply-shift. The high bits depend on every bit of the hash
     * (a plain {@code floorMod} of a 32-bit product keeps only its low bits, which for a power of
     * two loop count ignore the high bits of the key, so ids stepping by 8 or 10 used 1 or 4 loops
     * of 8); and the golden-ratio multiplier spreads arithmetic progressions — sequential ids,
     * multiples of 10 or 1000 — almost perfectly for any {@code n} (three-distance theorem), more
     * evenly than a random-looking finaliser would.
     */
    static int index(int hash, int n) {
        long z = (hash & 0xFFFF_FFFFL) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (((z >>> 32) * n) >>> 32);
    }

    @Override
    public LoopGroup start() {
        if (isShutdown()) {
            throw new IllegalStateException("EventThread '" + name
                    + "' was shut down and cannot be started again; build a new one");
        }
        for (LoopCore loop : cores) {
            loop.start();
        }
        if (blockingDetector != null) {
            blockingDetector.start();
        }
        return this;
    }

    @Override
    public BlockingPoolStats blockingPool() {
        return new BlockingPoolStats(blockingPool.activeThreads(), blockingPool.poolSize(), blockingPool.maxThreads(),
                blockingPool.queuedTasks(), blockingPool.completedTasks(), blockingPool.virtualThreads());
    }

    @Override
    public Duration slowCallbackThreshold() {
        return Duration.ofNanos(settings.slowCallbackThresholdNanos());
    }

    @Override
    public Duration stuckThreshold() {
        return Duration.ofNanos(settings.stuckThresholdNanos());
    }

    @Override
    public Duration watchdogInterval() {
        return Duration.ofNanos(settings.watchdogIntervalNanos());
    }

    @Override
    public Duration shutdownTimeout() {
        return settings.shutdownTimeout();
    }

    @Override
    public Duration forceGrace() {
        return Duration.ofNanos(settings.forceGraceNanos());
    }

    @Override
    public ScheduledExecutorService asExecutorService() {
        return new ExecutorView(this, loops);
    }

    @Override
    public CompletableFuture<ShutdownReport> shutdownGracefully(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
        }
        return shutdown.begin(timeout).copy();
    }

    @Override
    public CompletableFuture<ShutdownReport> terminationFuture() {
        return shutdown.termination().copy();
    }

    /** @return the termination future itself, shared: for the engine's own waits */
    CompletableFuture<ShutdownReport> termination() {
        return shutdown.termination();
    }

    @Override
    public boolean isShutdown() {
        return shutdown.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return shutdown.isTerminated();
    }

    @Override
    public void onTermination(Consumer<? super ShutdownReport> callback) {
        Objects.requireNonNull(callback, "callback");
        shutdown.onTermination(callback);
    }

    @Override
    public void close() {
        requireNotOnLoop("EventThread.close()", "Call shutdownGracefully(), which returns a future, instead");
        CompletableFuture<ShutdownReport> done = shutdown.begin(settings.shutdownTimeout());
        boolean interrupted = false;
        ShutdownReport report;
        while (true) {
            try {
                report = done.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("shutdown failed", e.getCause());
            }
        }
        for (LoopCore loop : cores) {
            if (report.stuckLoops().containsKey(loop.name())) {
                continue;
            }
            try {
                // terminated: the thread has only its last few instructions left
                loop.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(settings.forceGraceNanos())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        CompletableFuture<ShutdownReport> done = shutdown.begin(Duration.ZERO);
        if (!inAnyLoop()) {
            try {
                done.get(Math.max(1, 2 * TimeUnit.NANOSECONDS.toMillis(settings.forceGraceNanos())), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the report says what happened; the list holds what was collected so far
            }
        }
        return shutdown.neverStarted();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        requireNotOnLoop("EventThread.awaitTermination()", "Call shutdownGracefully(), which returns a future, instead");
        try {
            shutdown.termination().get(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /**
     * Throws {@link BlockingOperationException} on a loop thread of this group.
     * @param operation the refused call
     * @param instead what to do instead
     */
    public void requireNotOnLoop(String operation, String instead) {
        if (inAnyLoop()) {
            throw new BlockingOperationException(operation, Thread.currentThread().getName(), instead);
        }
    }

    /**
     * Runs a forced termination on a new thread of this group's own: it cancels futures (running
     * their dependents) and may complete the group's report (running the termination callbacks and
     * the termination future's dependents), none of which may run on the process-wide watchdog,
     * whose thread drives every group's deadlines.
     */
    void terminate(Runnable forcing) {
        Thread thread = new Thread(() -> {
            try {
                forcing.run();
            } finally {
                terminators.remove(Thread.currentThread());
            }
        }, settings.threadNamePrefix() + "-terminator");
        thread.setDaemon(true);
        terminators.add(thread);
        thread.start();
    }

    private boolean inAnyLoop() {
        for (LoopCore loop : cores) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return terminators.contains(Thread.currentThread());
    }
}

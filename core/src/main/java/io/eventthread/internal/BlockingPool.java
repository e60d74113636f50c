package io.eventthread.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool behind {@code runBlocking}, shared by the loops of a group. Threads are
 * created on demand up to the maximum before tasks queue, and retire when idle. They are daemon
 * threads: the loops' futures track their work, and a call stuck in I/O must not keep the JVM
 * alive after the group has terminated.
 */
public final class BlockingPool {

    private final ThreadPoolExecutor executor;
    private final String name;
    private final boolean virtualThreads;

    /** @param settings the group's settings */
    public BlockingPool(LoopSettings settings) {
        this.virtualThreads = settings.blockingVirtualThreads();
        this.name = settings.threadNamePrefix() + "-blocking";
        int capacity = settings.blockingQueueCapacity();
        BlockingQueue<Runnable> queue = capacity == 0 ? new SynchronousQueue<>()
                : capacity <= 65_536 ? new ArrayBlockingQueue<>(capacity) : new LinkedBlockingQueue<>(capacity);
        int max = settings.blockingMaxThreads();
        this.executor = new ThreadPoolExecutor(max, max, Durations.saturatedNanos(settings.blockingKeepAlive()), TimeUnit.NANOSECONDS,
                queue, settings.blockingVirtualThreads() ? virtualThreadFactory(name) : platformThreadFactory(name),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    void submit(BlockingTask<?> task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            String why = executor.isShutdown() ? "it has shut down"
                    : "it is saturated: " + executor.getActiveCount() + " of " + executor.getMaximumPoolSize()
                    + " threads busy and " + executor.getQueue().size() + " tasks queued; raise blockingMaxThreads "
                    + "or blockingQueueCapacity, or submit less blocking work at once";
            task.completeOnLoop(null, new RejectedExecutionException(
                    "Blocking pool '" + name + "' rejected " + Failures.describe(task) + ": " + why));
        }
    }

    /** @return threads running a task now, approximately */
    public int activeThreads() {
        return executor.getActiveCount();
    }

    /** @return threads in the pool now */
    public int poolSize() {
        return executor.getPoolSize();
    }

    /** @return the most threads the pool runs at once */
    public int maxThreads() {
        return executor.getMaximumPoolSize();
    }

    /** @return tasks waiting for a thread */
    public int queuedTasks() {
        return executor.getQueue().size();
    }

    /** @return tasks finished, approximately */
    public long completedTasks() {
        return executor.getCompletedTaskCount();
    }

    /** @return whether each task runs on a new virtual thread */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    void shutdownNow() {
        for (Runnable never : executor.shutdownNow()) {
            if (never instanceof Future<?> f) {
                f.cancel(false);
            }
        }
    }

    private static ThreadFactory platformThreadFactory(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** {@code Thread.ofVirtual().name(prefix, 1).factory()}, by reflection: we compile for Java 17. */
    private static ThreadFactory virtualThreadFactory(String name) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method named = builderType.getMethod("name", String.class, long.class);
            builder = named.invoke(builder, name + "-", 1L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads are not available on Java " + Runtime.version(), e);
        }
    }
}

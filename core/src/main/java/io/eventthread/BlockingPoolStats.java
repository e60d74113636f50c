package io.eventthread;

/**
 * A read-only snapshot of the pool behind {@link EventLoop#runBlocking}, from
 * {@link EventThread#blockingPool()}: for metrics and health checks. The pool itself stays
 * private to the group, so nothing outside can submit to it or shut it down.
 */
public final class BlockingPoolStats {

    private final int activeThreads;
    private final int poolSize;
    private final int maxThreads;
    private final int queuedTasks;
    private final long completedTasks;
    private final boolean virtualThreads;

    /**
     * A snapshot; the engine makes them.
     * @param activeThreads threads running a blocking task
     * @param poolSize threads the pool holds
     * @param maxThreads the most threads the pool runs at once
     * @param queuedTasks tasks waiting for a thread
     * @param completedTasks tasks finished since the start
     * @param virtualThreads whether each task runs on a new virtual thread
     */
    public BlockingPoolStats(int activeThreads, int poolSize, int maxThreads, int queuedTasks, long completedTasks,
            boolean virtualThreads) {
        this.activeThreads = activeThreads;
        this.poolSize = poolSize;
        this.maxThreads = maxThreads;
        this.queuedTasks = queuedTasks;
        this.completedTasks = completedTasks;
        this.virtualThreads = virtualThreads;
    }

    /** @return threads running a blocking task now (approximate, as the JDK's pool counts) */
    public int activeThreads() {
        return activeThreads;
    }

    /** @return threads the pool holds now, busy or idle */
    public int poolSize() {
        return poolSize;
    }

    /** @return the most threads the pool will run at once ({@code blockingMaxThreads}) */
    public int maxThreads() {
        return maxThreads;
    }

    /** @return tasks waiting for a thread */
    public int queuedTasks() {
        return queuedTasks;
    }

    /** @return tasks that have finished since the group started (approximate) */
    public long completedTasks() {
        return completedTasks;
    }

    /** @return whether each task runs on a new virtual thread */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    @Override
    public String toString() {
        return "BlockingPoolStats[" + activeThreads + " active of " + poolSize + " (max " + maxThreads + "), "
                + queuedTasks + " queued, " + completedTasks + " completed" + (virtualThreads ? ", virtual" : "") + "]";
    }
}

package io.eventthread.autoconfigure.endpoint;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventthread.BlockingPoolStats;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopDelay;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import io.eventthread.autoconfigure.EventThreadGroups;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code eventthread} Actuator endpoint: every group by bean name
 * ({@code /actuator/eventthread}) or one group ({@code /actuator/eventthread/{name}}), with each
 * loop's figures, the thresholds they are judged by, the blocking pool, and the current stack of
 * any stuck loop. Durations are ISO-8601 strings.
 */
@Endpoint(id = "eventthread")
public class EventThreadEndpoint {

    private final EventThreadGroups groups;

    /**
     * Creates the endpoint.
     * @param groups the groups to describe
     */
    public EventThreadEndpoint(EventThreadGroups groups) {
        this.groups = groups;
    }

    /**
     * Describes every group.
     * @return the groups by bean name
     */
    @ReadOperation
    public GroupsDescriptor eventThreads() {
        Map<String, EventThreadDescriptor> all = new LinkedHashMap<>();
        this.groups.all().forEach((name, group) -> all.put(name, describe(name, group)));
        return new GroupsDescriptor(all);
    }

    /**
     * Describes one group.
     * @param name the bean name of the group
     * @return the description, or {@code null} (404) when there is no such group
     */
    @ReadOperation
    public EventThreadDescriptor eventThread(@Selector String name) {
        EventThread group = this.groups.all().get(name);
        return (group != null) ? describe(name, group) : null;
    }

    private EventThreadDescriptor describe(String name, EventThread group) {
        Thresholds thresholds = new Thresholds(text(group.slowCallbackThreshold()), text(group.stuckThreshold()),
                text(group.watchdogInterval()), text(group.shutdownTimeout()),
                this.groups.settings(name).getHealth().getMaxQueueDepth());
        List<LoopDescriptor> loops = group.loops().stream().map(EventThreadEndpoint::describe).toList();
        BlockingPoolStats pool = group.blockingPool();
        Blocking blocking = new Blocking(pool.activeThreads(), pool.poolSize(), pool.maxThreads(), pool.queuedTasks(),
                pool.completedTasks(), pool.virtualThreads());
        return new EventThreadDescriptor(group.name(), group.isShutdown(), thresholds, blocking, loops);
    }

    private static LoopDescriptor describe(EventLoop loop) {
        LoopStats stats = loop.stats();
        LoopDelay delay = stats.delay();
        // Taking a stack pauses the loop thread, so only for a loop that is already stuck.
        List<String> stack = stats.stuck()
                ? Arrays.stream(loop.threadStack()).map(StackTraceElement::toString).toList() : null;
        return new LoopDescriptor(stats.loopName(), stats.state(), stats.stuck(), text(stats.currentCallbackTime()),
                stats.queueDepth(), stats.pendingTimers(), stats.tasksCompleted(), stats.tasksFailed(),
                stats.tasksRejected(), stats.slowCallbacks(), stats.stuckIncidents(), stats.blockingCalls(),
                stats.utilization(),
                new Delay(delay.count(), text(delay.recentMax()), text(delay.max()), text(delay.mean()),
                        text(delay.p50()), text(delay.p99())),
                stack);
    }

    private static String text(Duration duration) {
        return (duration != null) ? duration.toString() : null;
    }

    /**
     * Every group.
     * @param groups the groups by bean name
     */
    public record GroupsDescriptor(Map<String, EventThreadDescriptor> groups) {
    }

    /**
     * A description of a group.
     * @param threadNamePrefix the group's thread name prefix
     * @param shutdown whether a shutdown has been requested
     * @param thresholds the configured thresholds
     * @param blocking the blocking pool
     * @param loops the loops, in creation order
     */
    public record EventThreadDescriptor(String threadNamePrefix, boolean shutdown, Thresholds thresholds,
            Blocking blocking, List<LoopDescriptor> loops) {
    }

    /**
     * The configured thresholds.
     * @param slowCallback the slow-callback threshold
     * @param stuck the stuck threshold
     * @param watchdogInterval the watchdog interval
     * @param shutdownTimeout the shutdown timeout
     * @param maxQueueDepth the queue depth above which health is DOWN, or {@code null}
     */
    public record Thresholds(String slowCallback, String stuck, String watchdogInterval, String shutdownTimeout,
            Integer maxQueueDepth) {
    }

    /**
     * The blocking pool now.
     * @param activeThreads threads running a task
     * @param poolSize threads in the pool
     * @param maxThreads the most threads the pool creates
     * @param queuedTasks tasks waiting for a thread
     * @param completedTasks tasks finished
     * @param virtualThreads whether the threads are virtual
     */
    public record Blocking(int activeThreads, int poolSize, int maxThreads, int queuedTasks, long completedTasks,
            boolean virtualThreads) {
    }

    /**
     * One loop's figures; counters are cumulative since the loop started.
     * @param name the loop thread's name
     * @param state the life-cycle state
     * @param stuck whether the loop is stuck
     * @param currentCallbackTime how long the current callback has run
     * @param queueDepth tasks waiting
     * @param pendingTimers timers waiting
     * @param tasksCompleted tasks completed
     * @param tasksFailed tasks failed
     * @param tasksRejected submissions rejected
     * @param slowCallbacks slow callbacks
     * @param stuckIncidents times flagged stuck
     * @param blockingCalls blocking calls found on the loop thread (with blocking detection on)
     * @param utilization lifetime utilization, 0 to 1
     * @param delay the loop delay
     * @param stack the loop thread's current stack when stuck, else {@code null}
     */
    public record LoopDescriptor(String name, LoopState state, boolean stuck, String currentCallbackTime,
            int queueDepth, int pendingTimers, long tasksCompleted, long tasksFailed, long tasksRejected,
            long slowCallbacks, long stuckIncidents, long blockingCalls, double utilization, Delay delay,
            List<String> stack) {
    }

    /**
     * The loop delay.
     * @param count delays observed
     * @param recentMax the largest sample of the last 5 to 10 seconds
     * @param max the largest sample since start
     * @param mean the mean
     * @param p50 the median
     * @param p99 the 99th percentile
     */
    public record Delay(long count, String recentMax, String max, String mean, String p50, String p99) {
    }

}

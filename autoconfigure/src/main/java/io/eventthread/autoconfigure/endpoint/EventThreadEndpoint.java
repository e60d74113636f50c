package io.eventthread.autoconfigure.endpoint;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopDelay;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;
import io.eventthread.autoconfigure.EventThreadProperties;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code eventthread} Actuator endpoint: every loop's figures, the thresholds they are judged
 * by, and the current stack of any stuck loop. Durations are ISO-8601 strings.
 */
@Endpoint(id = "eventthread")
public class EventThreadEndpoint {

    private final EventThread eventThread;

    private final EventThreadProperties properties;

    /**
     * Creates the endpoint.
     * @param eventThread the group to describe
     * @param properties the configured thresholds
     */
    public EventThreadEndpoint(EventThread eventThread, EventThreadProperties properties) {
        this.eventThread = eventThread;
        this.properties = properties;
    }

    /**
     * Describes the group.
     * @return the description
     */
    @ReadOperation
    public EventThreadDescriptor eventThread() {
        Thresholds thresholds = new Thresholds(text(this.properties.getSlowCallbackThreshold()),
                text(this.properties.getStuckThreshold()), text(this.properties.getWatchdogInterval()),
                text(this.eventThread.shutdownTimeout()), this.properties.getHealth().getMaxQueueDepth());
        List<LoopDescriptor> loops = this.eventThread.loops().stream().map(EventThreadEndpoint::describe).toList();
        return new EventThreadDescriptor(this.eventThread.name(), this.eventThread.isShutdown(), thresholds, loops);
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
                new Delay(text(delay.recentMax()), text(delay.max()), text(delay.mean()), text(delay.p50()),
                        text(delay.p99())),
                stack);
    }

    private static String text(Duration duration) {
        return (duration != null) ? duration.toString() : null;
    }

    /**
     * A description of a group.
     * @param name the group's name (its thread name prefix)
     * @param shutdown whether a shutdown has been requested
     * @param thresholds the configured thresholds
     * @param loops the loops, in creation order
     */
    public record EventThreadDescriptor(String name, boolean shutdown, Thresholds thresholds,
            List<LoopDescriptor> loops) {
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
     * @param blockingCalls blocking calls found on the loop thread (0 without blocking detection)
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
     * @param recentMax the largest recent sample
     * @param max the largest sample since start
     * @param mean the mean
     * @param p50 the median
     * @param p99 the 99th percentile
     */
    public record Delay(String recentMax, String max, String mean, String p50, String p99) {
    }

}

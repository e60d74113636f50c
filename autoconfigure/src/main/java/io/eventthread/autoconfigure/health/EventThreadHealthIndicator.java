package io.eventthread.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopState;
import io.eventthread.LoopStats;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of an {@link EventThread}: UP while every loop runs; OUT_OF_SERVICE before start and
 * while shutting down; DOWN when a loop is stuck, has terminated without a shutdown, or (when a
 * limit is set) has more queued tasks than the limit. Details are keyed by loop name.
 */
public class EventThreadHealthIndicator extends AbstractHealthIndicator {

    private final EventThread eventThread;

    private final Integer maxQueueDepth;

    /**
     * Creates an indicator.
     * @param eventThread the group to report on
     * @param maxQueueDepth the queue depth above which a loop counts as DOWN, or {@code null}
     */
    public EventThreadHealthIndicator(EventThread eventThread, Integer maxQueueDepth) {
        super("EventThread health check failed");
        this.eventThread = eventThread;
        this.maxQueueDepth = maxQueueDepth;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<EventLoop> loops = this.eventThread.loops();
        Status status = Status.UP;
        for (EventLoop loop : loops) {
            LoopStats stats = loop.stats();
            status = worse(status, statusOf(stats));
            builder.withDetail(stats.loopName(), details(stats));
        }
        // A requested shutdown explains stopped or terminated loops: not a failure.
        builder.status(this.eventThread.isShutdown() ? Status.OUT_OF_SERVICE : status);
    }

    private Status statusOf(LoopStats stats) {
        if (stats.state() == LoopState.NEW) {
            return Status.OUT_OF_SERVICE;
        }
        if (stats.stuck() || stats.state() == LoopState.TERMINATED) {
            return Status.DOWN;
        }
        if (this.maxQueueDepth != null && stats.queueDepth() > this.maxQueueDepth) {
            return Status.DOWN;
        }
        return Status.UP;
    }

    private static Status worse(Status a, Status b) {
        return (rank(b) > rank(a)) ? b : a;
    }

    private static int rank(Status status) {
        if (Status.DOWN.equals(status)) {
            return 2;
        }
        return Status.OUT_OF_SERVICE.equals(status) ? 1 : 0;
    }

    private static Map<String, Object> details(LoopStats stats) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", stats.state());
        details.put("queueDepth", stats.queueDepth());
        details.put("pendingTimers", stats.pendingTimers());
        details.put("loopDelay", stats.delay().recentMax().toMillis());
        details.put("utilization", Math.round(stats.utilization() * 1000) / 1000.0);
        details.put("slowCallbacks", stats.slowCallbacks());
        details.put("stuckFor", stats.stuck() ? stats.currentCallbackTime().toMillis() : 0);
        return details;
    }

}

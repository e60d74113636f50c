package io.eventthread.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for the loops of an {@link EventThread}, tagged {@code name} (the group) and
 * {@code loop} (the loop thread). Every meter reads {@link EventLoop#stats()} through a snapshot
 * shared by the meters of one loop for a short while, so one scrape costs one snapshot per loop
 * and its figures agree with each other; nothing is recorded on the loop thread.
 *
 * <p>{@code eventthread.loop.utilization} is the busy share of the time between two snapshots,
 * that is, roughly the scrape interval. With several registries polling, each sees the window
 * since the previous poll by any of them.
 */
public class EventThreadMetrics implements MeterBinder {

    /** Meters read within this time share one snapshot: a scrape, not two. */
    static final long SNAPSHOT_MAX_AGE_NANOS = 100_000_000L;

    private final EventThread eventThread;

    private final Tags tags;

    // Held here because Micrometer keeps only weak references to a gauge's state object.
    private final List<LoopSnapshot> snapshots = new ArrayList<>();

    /**
     * Creates a binder for a group.
     * @param eventThread the group
     * @param name the value of the {@code name} tag, usually the bean name
     * @param tags further tags for every meter
     */
    public EventThreadMetrics(EventThread eventThread, String name, Iterable<Tag> tags) {
        this.eventThread = eventThread;
        this.tags = Tags.concat(tags, "name", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (EventLoop loop : this.eventThread.loops()) {
            LoopSnapshot snapshot = new LoopSnapshot(loop);
            synchronized (this.snapshots) {
                this.snapshots.add(snapshot);
            }
            Tags loopTags = this.tags.and("loop", loop.name());
            gauge(registry, "eventthread.queue.depth", "Tasks accepted by the loop and not yet started", null,
                    snapshot, (s) -> s.stats().queueDepth(), loopTags);
            gauge(registry, "eventthread.timers.pending", "Timers scheduled on the loop and not yet due or cancelled",
                    null, snapshot, (s) -> s.stats().pendingTimers(), loopTags);
            counter(registry, "eventthread.tasks.completed", "Tasks and timer callbacks that returned normally",
                    snapshot, (s) -> s.stats().tasksCompleted(), loopTags);
            counter(registry, "eventthread.tasks.failed", "Tasks and timer callbacks that threw", snapshot,
                    (s) -> s.stats().tasksFailed(), loopTags);
            counter(registry, "eventthread.tasks.rejected", "Submissions rejected by shutdown or a full queue",
                    snapshot, (s) -> s.stats().tasksRejected(), loopTags);
            counter(registry, "eventthread.callbacks.slow", "Callbacks that ran at least the slow-callback threshold",
                    snapshot, (s) -> s.stats().slowCallbacks(), loopTags);
            counter(registry, "eventthread.callbacks.blocking",
                    "Blocking calls found on the loop thread by blocking-call detection (0 when it is off)", snapshot,
                    (s) -> s.stats().blockingCalls(), loopTags);
            gauge(registry, "eventthread.loop.delay", "Largest recent delay between when work was due and when it started",
                    "seconds", snapshot, (s) -> seconds(s.stats().delay().recentMax().toNanos()), loopTags);
            gauge(registry, "eventthread.loop.delay.p99", "99th percentile of the delay since the loop started (within a factor of two)",
                    "seconds", snapshot, (s) -> seconds(s.stats().delay().p99().toNanos()), loopTags);
            gauge(registry, "eventthread.loop.utilization",
                    "Share of the time since the previous poll that the loop spent in callbacks, 0 to 1", null, snapshot,
                    LoopSnapshot::utilization, loopTags);
            gauge(registry, "eventthread.loop.stuck", "1 while the loop is stuck in one callback, else 0", null,
                    snapshot, (s) -> s.stats().stuck() ? 1 : 0, loopTags);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void gauge(MeterRegistry registry, String name, String description, String baseUnit,
            LoopSnapshot snapshot, ToDoubleFunction<LoopSnapshot> value, Tags tags) {
        Gauge.builder(name, snapshot, value)
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, LoopSnapshot snapshot,
            ToDoubleFunction<LoopSnapshot> value, Tags tags) {
        FunctionCounter.builder(name, snapshot, value).description(description).tags(tags).register(registry);
    }

    /** The latest stats of one loop, refreshed when older than a scrape takes. */
    static final class LoopSnapshot {

        private final EventLoop loop;

        private LoopStats stats;

        private long readAtNanos;

        private double utilization;

        LoopSnapshot(EventLoop loop) {
            this.loop = loop;
        }

        synchronized LoopStats stats() {
            long now = System.nanoTime();
            if (this.stats == null || now - this.readAtNanos > SNAPSHOT_MAX_AGE_NANOS) {
                LoopStats fresh = this.loop.stats();
                this.utilization = (this.stats != null) ? windowUtilization(this.stats, fresh) : fresh.utilization();
                this.stats = fresh;
                this.readAtNanos = now;
            }
            return this.stats;
        }

        synchronized double utilization() {
            stats();
            return this.utilization;
        }

        private double windowUtilization(LoopStats previous, LoopStats current) {
            long elapsed = current.elapsed().toNanos() - previous.elapsed().toNanos();
            if (elapsed <= 0) {
                // No time passed on the loop (not started, or terminated): keep the last figure.
                return this.utilization;
            }
            // busyTime includes the burst in progress, so a loop stuck in one callback reads as busy
            long busy = current.busyTime().toNanos() - previous.busyTime().toNanos();
            return Math.max(0.0, Math.min(1.0, (double) busy / elapsed));
        }

    }

}

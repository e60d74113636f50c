package io.eventthread.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.eventthread.BlockingPoolStats;
import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopDelay;
import io.eventthread.LoopStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for the loops and the blocking pool of an {@link EventThread}, tagged
 * {@code name} (the group's bean name) and, per loop, {@code loop} (the loop thread).
 *
 * <p>Every meter is a function of cumulative or current state, so its value does not depend on
 * who read it before: any number of registries and scrapers see the same figures, and rates are
 * left to the backend (utilization is {@code rate(eventthread_loop_busy_seconds_total[1m])}). The
 * meters of one loop read one {@link EventLoop#stats()} snapshot, refreshed when older than
 * {@link #SNAPSHOT_MAX_AGE_NANOS}, so one scrape costs one snapshot per loop; nothing is recorded
 * on the loop thread.
 *
 * <p>Loop delay is also a histogram Prometheus aggregates across loops and instances:
 * {@code eventthread.loop.delay.buckets}, one cumulative counter per power-of-two bound from
 * 1.024&nbsp;&micro;s to 17.2&nbsp;s and {@code +Inf}, tagged {@code le} in seconds, read from
 * {@link io.eventthread.LoopDelay.Histogram}, with the {@code _count} and {@code _sum} of
 * {@code eventthread.loop.delay}. Micrometer has no meter for a histogram kept elsewhere (a
 * {@code Timer} learns only from {@code record}, a custom meter has no {@code le}), and the
 * Prometheus client reserves the {@code _bucket} suffix, so these are counters by type and name:
 * {@code histogram_quantile(0.99, sum by (le) (rate(eventthread_loop_delay_buckets_total[5m])))}.
 */
public class EventThreadMetrics implements MeterBinder {

    /** Meters read within this time share one snapshot: a scrape, not two. */
    static final long SNAPSHOT_MAX_AGE_NANOS = 100_000_000L;

    /** The first exported delay bucket, at most 2^10 ns = 1.024 us: below that a loop is not late. */
    static final int FIRST_DELAY_BUCKET = 10;

    /** The last finite exported delay bucket, at most 2^34 ns = 17.2 s; longer goes to {@code +Inf}. */
    static final int LAST_DELAY_BUCKET = 34;

    private final EventThread eventThread;

    private final Tags tags;

    // Held here because Micrometer keeps only weak references to a meter's state object.
    private final List<Object> states = new ArrayList<>();

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
            bindLoop(registry, new LoopSnapshot(loop), this.tags.and("loop", loop.name()));
        }
        bindBlockingPool(registry, this.eventThread);
    }

    private void bindLoop(MeterRegistry registry, LoopSnapshot s, Tags tags) {
        synchronized (this.states) {
            this.states.add(s);
        }
        gauge(registry, "eventthread.queued", "Tasks accepted by the loop and not yet started", "tasks", s,
                (x) -> x.stats().queueDepth(), tags);
        gauge(registry, "eventthread.scheduled", "Timers scheduled on the loop, not yet due or cancelled", "timers", s,
                (x) -> x.stats().pendingTimers(), tags);
        counter(registry, "eventthread.completed", "Tasks and timer callbacks that returned normally", "tasks", s,
                (x) -> x.stats().tasksCompleted(), tags);
        counter(registry, "eventthread.failed", "Tasks and timer callbacks that threw, and work whose future failed",
                "tasks", s, (x) -> x.stats().tasksFailed(), tags);
        counter(registry, "eventthread.rejected", "Submissions refused by a shutdown or a full queue", "tasks", s,
                (x) -> x.stats().tasksRejected(), tags);
        counter(registry, "eventthread.slow", "Callbacks that ran at least the slow-callback threshold", "callbacks", s,
                (x) -> x.stats().slowCallbacks(), tags);
        counter(registry, "eventthread.stuck", "Times the watchdog flagged the loop stuck in one callback", "incidents",
                s, (x) -> x.stats().stuckIncidents(), tags);
        counter(registry, "eventthread.blocked", "Blocking calls found in callbacks on the loop thread (with blocking detection on)",
                "calls", s, (x) -> x.stats().blockingCalls(), tags);
        FunctionCounter.builder("eventthread.loop.busy", s, (x) -> seconds(x.stats().busyTime().toNanos()))
            .description("Time the loop spent inside callbacks; its rate is the loop's utilization, 0 to 1")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry);
        FunctionTimer.builder("eventthread.loop.delay", s, (x) -> x.stats().delay().count(),
                (x) -> x.stats().delay().total().toNanos(), TimeUnit.NANOSECONDS)
            .description("Delay between when work was due (enqueued, or a timer's deadline) and when it started")
            .tags(tags)
            .register(registry);
        bindDelayBuckets(registry, s, tags);
        gauge(registry, "eventthread.loop.delay.max", "Largest delay between due and start in the last 5 to 10 seconds",
                "seconds", s, (x) -> seconds(x.stats().delay().recentMax().toNanos()), tags);
        gauge(registry, "eventthread.loop.stuck", "1 while the loop is stuck in one callback, else 0", null, s,
                (x) -> x.stats().stuck() ? 1 : 0, tags);
    }

    private static void bindDelayBuckets(MeterRegistry registry, LoopSnapshot s, Tags tags) {
        for (int bucket = FIRST_DELAY_BUCKET; bucket <= LAST_DELAY_BUCKET; bucket++) {
            int b = bucket;
            delayBucket(registry, s, tags, le(b), (x) -> x.stats().delay().histogram().cumulativeCount(b));
        }
        delayBucket(registry, s, tags, "+Inf", (x) -> x.stats().delay().histogram().count());
    }

    private static void delayBucket(MeterRegistry registry, LoopSnapshot s, Tags tags, String le,
            ToLongFunction<LoopSnapshot> count) {
        FunctionCounter.builder("eventthread.loop.delay.buckets", s, (x) -> count.applyAsLong(x))
            .description("Delay samples at or below the le bound in seconds: the loop delay histogram's cumulative buckets")
            .tags(tags.and("le", le))
            .register(registry);
    }

    /** A bucket's bound in seconds, as {@code Double.toString} writes it (1.024E-6): the same on every instance. */
    static String le(int bucket) {
        return Double.toString(seconds(LoopDelay.Histogram.upperBound(bucket).toNanos()));
    }

    private void bindBlockingPool(MeterRegistry registry, EventThread group) {
        synchronized (this.states) {
            this.states.add(group);
        }
        gauge(registry, "eventthread.blocking.active", "Threads of the blocking pool running a task", "threads", group,
                (g) -> g.blockingPool().activeThreads(), this.tags);
        gauge(registry, "eventthread.blocking.pool.size", "Threads in the blocking pool, busy or idle", "threads", group,
                (g) -> g.blockingPool().poolSize(), this.tags);
        gauge(registry, "eventthread.blocking.pool.max", "Most threads the blocking pool creates", "threads", group,
                (g) -> g.blockingPool().maxThreads(), this.tags);
        gauge(registry, "eventthread.blocking.queued", "Blocking tasks waiting for a thread", "tasks", group,
                (g) -> g.blockingPool().queuedTasks(), this.tags);
        counter(registry, "eventthread.blocking.completed", "Blocking tasks that have finished", "tasks", group,
                (ToLongFunction<EventThread>) (g) -> g.blockingPool().completedTasks(), this.tags);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static <T> void gauge(MeterRegistry registry, String name, String description, String baseUnit, T state,
            ToDoubleFunction<T> value, Tags tags) {
        Gauge.builder(name, state, value)
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, String baseUnit,
            T state, ToLongFunction<T> value, Tags tags) {
        FunctionCounter.builder(name, state, (x) -> value.applyAsLong(x))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    /** The latest stats of one loop, refreshed when older than a scrape takes; reads never change it otherwise. */
    static final class LoopSnapshot {

        private final EventLoop loop;

        private LoopStats stats;

        private long readAtNanos;

        LoopSnapshot(EventLoop loop) {
            this.loop = loop;
        }

        synchronized LoopStats stats() {
            long now = System.nanoTime();
            if (this.stats == null || now - this.readAtNanos > SNAPSHOT_MAX_AGE_NANOS) {
                this.stats = this.loop.stats();
                this.readAtNanos = now;
            }
            return this.stats;
        }

    }

}

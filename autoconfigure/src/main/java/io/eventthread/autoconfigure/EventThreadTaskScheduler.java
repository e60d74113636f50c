package io.eventthread.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;

/**
 * A {@link TaskScheduler} over the loops of an {@link EventThread}, so that
 * {@code @Scheduled(scheduler = "eventThreadTaskScheduler")} runs on a loop. Each scheduled task
 * is pinned to one loop, picked round robin, for its whole life: runs of one task never overlap
 * or race each other, including trigger (cron) tasks that are rescheduled after each run.
 *
 * <p>Context propagation, when on, is the group's own task decorator: scheduled tasks carry the
 * context of the thread that scheduled them, like every other submission.
 */
public final class EventThreadTaskScheduler implements TaskScheduler {

    private final List<ConcurrentTaskScheduler> schedulers;

    private final AtomicInteger next = new AtomicInteger();

    /**
     * Creates a scheduler over every loop of a group.
     * @param eventThread the group
     */
    public EventThreadTaskScheduler(EventThread eventThread) {
        this.schedulers = eventThread.loops().stream()
                .map(loop -> new ConcurrentTaskScheduler(loop.asExecutorService())).toList();
    }

    private TaskScheduler next() {
        int size = this.schedulers.size();
        return this.schedulers.get((size == 1) ? 0 : Math.floorMod(this.next.getAndIncrement(), size));
    }

    @Override
    public Clock getClock() {
        return this.schedulers.get(0).getClock();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        return next().schedule(task, trigger);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        return next().schedule(task, startTime);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
        return next().scheduleAtFixedRate(task, startTime, period);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return next().scheduleAtFixedRate(task, period);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
        return next().scheduleWithFixedDelay(task, startTime, delay);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        return next().scheduleWithFixedDelay(task, delay);
    }

}

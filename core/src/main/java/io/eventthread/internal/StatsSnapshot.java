package io.eventthread.internal;

import io.eventthread.LoopClock;
import io.eventthread.LoopStats;
import java.time.Duration;

/**
 * The source of every figure in {@link LoopStats}: reads the counters, the slow-callback reports,
 * the watch and the loop's sizes, racily and without locks, as metrics may.
 */
final class StatsSnapshot {

    private final LoopContext loop;
    private final LoopCounters counters;
    private final SlowCallbacks slow;
    private final StuckWatch watch;
    private final DelayProbe probe;
    private final ListenerDispatch listeners;
    private final LoopClock clock;

    StatsSnapshot(LoopContext loop, LoopCounters counters, SlowCallbacks slow, StuckWatch watch, DelayProbe probe,
            ListenerDispatch listeners, LoopClock clock) {
        this.loop = loop;
        this.counters = counters;
        this.slow = slow;
        this.watch = watch;
        this.probe = probe;
        this.listeners = listeners;
        this.clock = clock;
    }

    LoopStats take() {
        // busy time first: with the clock read after it, busy time never exceeds elapsed
        long busy = counters.busyNanos();
        long now = clock.nanoTime();
        long seq = counters.runningSequence();
        long began = counters.startedAt();
        long end = counters.terminatedAt() == LoopCounters.IDLE ? now : counters.terminatedAt();
        long failedCallbacks = counters.callbackFailures();
        return LoopStats.builder()
                .loopName(loop.name())
                .state(loop.state())
                .stuck(watch.isStuck(seq))
                .queueDepth(Math.max(0, loop.queueSize() - (probe.isQueued() ? 1 : 0))) // the probe is ours
                .pendingTimers(loop.pendingTimers())
                .tasksCompleted(Math.max(0, counters.tasksRun() - failedCallbacks))
                .tasksFailed(failedCallbacks + counters.workFailures())
                .tasksRejected(counters.rejectedCount())
                .slowCallbacks(slow.count())
                .stuckIncidents(watch.stuckIncidents())
                .busyTime(Duration.ofNanos(busy))
                .elapsed(Duration.ofNanos(began == LoopCounters.IDLE ? 0 : Math.max(0, end - began)))
                .currentCallbackTime(Duration.ofNanos(watch.currentCallbackNanos(now, seq)))
                .delay(counters.delay.snapshot(now))
                .droppedEvents(listeners.dropped())
                .blockingCalls(counters.blockingCallCount())
                .build();
    }
}

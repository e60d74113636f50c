package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.LoopState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The life-cycle state machine on a fake clock: its transitions, its deadline, its grace. */
class LifecycleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final Lifecycle lifecycle = new Lifecycle(now::get, Duration.ofMillis(75).toNanos());

    @Test
    void startThenShutdownThenTerminateMovesForwardOnly() {
        assertThat(lifecycle.state()).isEqualTo(LoopState.NEW);
        assertThat(lifecycle.start()).isTrue();
        assertThat(lifecycle.start()).as("a second start does nothing").isFalse();
        assertThat(lifecycle.state()).isEqualTo(LoopState.RUNNING);

        assertThat(lifecycle.beginShutdown(now.get(), Duration.ofSeconds(10).toNanos()))
                .isEqualTo(Lifecycle.Begin.SHUTTING_DOWN);
        assertThat(lifecycle.state()).isEqualTo(LoopState.SHUTTING_DOWN);
        assertThat(lifecycle.beginShutdown(now.get(), 0)).as("a shutdown begins once").isEqualTo(Lifecycle.Begin.NONE);

        lifecycle.terminate();
        assertThat(lifecycle.state()).isEqualTo(LoopState.TERMINATED);
        lifecycle.exited();
        assertThat(lifecycle.force()).as("nothing to force once the loop has exited").isFalse();
        assertThat(lifecycle.wasForced()).isFalse();
        assertThat(lifecycle.start()).isFalse();
        assertThat(lifecycle.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void aLoopThatNeverStartedTerminatesAtOnce() {
        assertThat(lifecycle.beginShutdown(now.get(), Duration.ofSeconds(1).toNanos()))
                .isEqualTo(Lifecycle.Begin.NEVER_STARTED);
        assertThat(lifecycle.isTerminated()).isTrue();
        assertThat(lifecycle.start()).isFalse();
    }

    @Test
    void theDrainEndsWhenWorkRunsOutOrWhenTheLoopClockPassesTheDeadline() {
        lifecycle.start();
        lifecycle.beginShutdown(now.get(), Duration.ofSeconds(10).toNanos());

        assertThat(lifecycle.drained(true)).as("no work pending").isTrue();
        assertThat(lifecycle.drained(false)).as("work pending, deadline ahead").isFalse();
        assertThat(lifecycle.nanosToDeadline()).isEqualTo(Duration.ofSeconds(10).toNanos());

        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(lifecycle.deadlinePassed()).isFalse();
        assertThat(lifecycle.nanosToDeadline()).isEqualTo(1);

        now.incrementAndGet();
        assertThat(lifecycle.deadlinePassed()).isTrue();
        assertThat(lifecycle.drained(false)).isTrue();
        assertThat(lifecycle.nanosToDeadline()).isZero();
        assertThat(lifecycle.sinceRequest()).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void forceTakesAShuttingDownLoopToTerminatedOnceAndTheGraceIsASetting() {
        lifecycle.start();
        lifecycle.beginShutdown(now.get(), 0);
        assertThat(lifecycle.forceGraceNanos()).isEqualTo(Duration.ofMillis(75).toNanos());

        assertThat(lifecycle.force()).isTrue();
        assertThat(lifecycle.wasForced()).isTrue();
        assertThat(lifecycle.isTerminated()).isTrue();
        assertThat(lifecycle.force()).as("forced once").isFalse();
        lifecycle.terminate(); // the stuck thread returning later changes nothing
        assertThat(lifecycle.state()).isEqualTo(LoopState.TERMINATED);
    }

    @Test
    void aLoopStuckInItsSweepCanStillBeForcedUntilItHasExited() {
        lifecycle.start();
        lifecycle.beginShutdown(now.get(), 0);
        lifecycle.terminate(); // the loop thread left its run loop and sweeps (running continuations)

        assertThat(lifecycle.force()).as("stuck in the sweep").isTrue();
        assertThat(lifecycle.wasForced()).isTrue();

        Lifecycle other = new Lifecycle(now::get, 0);
        other.start();
        other.beginShutdown(now.get(), 0);
        other.terminate();
        other.exited();
        assertThat(other.force()).as("the sweep finished on its own first").isFalse();
    }

    @Test
    void anEndlessTimeoutSaturatesInsteadOfWrapping() {
        lifecycle.start();
        now.set(Long.MAX_VALUE - 5);
        lifecycle.beginShutdown(now.get(), Long.MAX_VALUE);

        assertThat(lifecycle.deadlinePassed()).isFalse();
        assertThat(lifecycle.nanosToDeadline()).isEqualTo(Durations.MAX_NANOS);
    }
}

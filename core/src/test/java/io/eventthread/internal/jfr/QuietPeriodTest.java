package io.eventthread.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The quiet start of blocking-call detection, with time standing still: the test runs the timer's
 * task itself, so "the period has passed" is a step of the test, not a sleep.
 */
class QuietPeriodTest {

    private final AtomicInteger overs = new AtomicInteger();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    private void begin(QuietPeriod quiet) {
        quiet.begin(overs::incrementAndGet, (delay, task) -> {
            delays.add(delay);
            timers.add(task);
        });
    }

    @Test
    void callsAreHeldUntilTheEndReachesTheStreamAndSummarisedOnce() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(30), null);
        begin(quiet);
        assertThat(delays).containsExactly(Duration.ofSeconds(30));
        assertThat(quiet.holds()).isTrue();
        quiet.hold("event loop 'l-1': Thread.sleep at App.init(line 12)");
        quiet.hold("event loop 'l-2': file read of /etc/hosts at App.load(line 40)");
        assertThat(overs).as("the time has not passed").hasValue(0);
        timers.get(0).run();
        assertThat(overs).as("the marker is committed once").hasValue(1);
        assertThat(quiet.holds()).as("until the marker reaches the stream, calls are still held").isTrue();
        assertThat(quiet.close()).isEqualTo("blocking-call detection: quiet period over, blocking calls are reported"
                + " from now on; 2 held during it, not logged or counted (the first: event loop 'l-1': Thread.sleep at"
                + " App.init(line 12))");
        assertThat(quiet.holds()).isFalse();
        assertThat(quiet.close()).as("once").isNull();
        assertThat(quiet.closeAtShutdown()).isNull();
    }

    @Test
    void aSignalHoldsCallsUntilItCompletesHoweverLongThatTakes() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        QuietPeriod quiet = new QuietPeriod(Duration.ZERO, ready);
        assertThat(quiet.isEmpty()).isFalse();
        begin(quiet);
        assertThat(timers).as("no time, no timer").isEmpty();
        assertThat(overs).hasValue(0);
        ready.complete(null);
        assertThat(overs).hasValue(1);
        assertThat(quiet.close()).isEqualTo(
                "blocking-call detection: quiet period over, blocking calls are reported from now on");
    }

    @Test
    void withATimeAndASignalBothMustBeOverInEitherOrder() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(30), ready);
        begin(quiet);
        ready.completeExceptionally(new IllegalStateException("a failed start ends the wait too"));
        assertThat(overs).as("the time has not passed").hasValue(0);
        timers.get(0).run();
        assertThat(overs).hasValue(1);

        CompletableFuture<Void> later = new CompletableFuture<>();
        QuietPeriod other = new QuietPeriod(Duration.ofSeconds(30), later);
        begin(other);
        timers.get(1).run();
        assertThat(overs).as("the signal has not come").hasValue(1);
        later.complete(null);
        assertThat(overs).hasValue(2);
    }

    @Test
    void aSignalAlreadyCompleteEndsAPeriodWithoutTimeAtOnce() {
        QuietPeriod quiet = new QuietPeriod(Duration.ZERO, CompletableFuture.completedFuture(null));
        begin(quiet);
        assertThat(overs).hasValue(1);
    }

    @Test
    void aGroupThatStopsWithinThePeriodSummarisesWhatItHeldOnce() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofMinutes(5), null);
        begin(quiet);
        quiet.hold("event loop 'l-1': Thread.sleep at App.init(line 12)");
        assertThat(quiet.closeAtShutdown()).isEqualTo("blocking-call detection: the group terminated during the"
                + " quiet period; 1 held during it, not logged or counted (the first: event loop 'l-1': Thread.sleep at"
                + " App.init(line 12))");
        assertThat(quiet.closeAtShutdown()).isNull();
        assertThat(quiet.close()).isNull();
        assertThat(quiet.holds()).isFalse();
    }

    @Test
    void aShutdownWithNothingHeldSaysNothing() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(1), null);
        begin(quiet);
        assertThat(quiet.closeAtShutdown()).isNull();
    }

    @Test
    void noTimeAndNoSignalIsEmptyAndHoldsNothing() {
        QuietPeriod quiet = new QuietPeriod(Duration.ZERO, null);
        assertThat(quiet.isEmpty()).isTrue();
        assertThat(quiet.holds()).isFalse();
    }
}

package io.eventthread.internal.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The quiet start of blocking-call detection, on a clock the test moves. */
class QuietPeriodTest {

    /** A wall clock moved by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void callsThatBeginWithinThePeriodAreHeldEvenWhenDeliveredAfterIt() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(30), null, clock);
        Instant start = clock.instant();
        quiet.begin();
        assertThat(quiet.isEmpty()).isFalse();
        assertThat(quiet.holds(start.plusSeconds(29))).isTrue();
        clock.advance(Duration.ofSeconds(31)); // delivered after the period: judged by when it began
        assertThat(quiet.holds(start.plusSeconds(29))).isTrue();
        assertThat(quiet.holds(start.plusSeconds(30))).as("the period is half-open").isFalse();
    }

    @Test
    void theSummaryComesOnceWhenThePeriodIsOverAndCountsTheHeldCalls() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(30), null, clock);
        quiet.begin();
        quiet.hold("event loop 'l-1': Thread.sleep at App.init(line 12)");
        quiet.hold("event loop 'l-2': file read of /etc/hosts at App.load(line 40)");
        clock.advance(Duration.ofSeconds(29));
        assertThat(quiet.closeIfOver()).as("not over yet").isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(quiet.closeIfOver()).endsWith(
                "; 2 held during it, not logged or counted (the first: event loop 'l-1': Thread.sleep at App.init(line 12))");
        assertThat(quiet.closeIfOver()).as("once").isNull();
        assertThat(quiet.holds(clock.instant().minusSeconds(20)))
                .as("once the summary is out, late deliveries are reported, not lost").isFalse();
    }

    @Test
    void aSignalHoldsCallsUntilItCompletesHoweverLongThatTakes() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        QuietPeriod quiet = new QuietPeriod(Duration.ZERO, ready, clock);
        assertThat(quiet.isEmpty()).isFalse();
        quiet.begin();
        clock.advance(Duration.ofMinutes(10));
        assertThat(quiet.holds(clock.instant())).isTrue();
        assertThat(quiet.closeIfOver()).isNull();
        Instant before = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        ready.complete(null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(quiet.holds(before)).as("began before the signal").isTrue();
        assertThat(quiet.holds(clock.instant())).as("began after it").isFalse();
        assertThat(quiet.closeIfOver()).isEqualTo(
                "blocking-call detection: quiet period over, blocking calls are reported from now on");
    }

    @Test
    void withATimeAndASignalBothMustBeOver() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(30), ready, clock);
        Instant start = clock.instant();
        quiet.begin();
        ready.completeExceptionally(new IllegalStateException("a failed start ends the wait too"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(quiet.holds(start.plusSeconds(10))).as("the time is not over").isTrue();
        assertThat(quiet.closeIfOver()).isNull();
        clock.advance(Duration.ofSeconds(20));
        assertThat(quiet.holds(start.plusSeconds(30))).isFalse();
        assertThat(quiet.closeIfOver()).isNotNull();
    }

    @Test
    void aGroupThatStopsWithinThePeriodSummarisesWhatItHeldOnce() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofMinutes(5), null, clock);
        quiet.begin();
        quiet.hold("event loop 'l-1': Thread.sleep at App.init(line 12)");
        assertThat(quiet.closeAtShutdown()).isEqualTo("blocking-call detection: the group terminated during the"
                + " quiet period; 1 held during it, not logged or counted (the first: event loop 'l-1': Thread.sleep at"
                + " App.init(line 12))");
        assertThat(quiet.closeAtShutdown()).isNull();
        clock.advance(Duration.ofMinutes(6));
        assertThat(quiet.closeIfOver()).isNull();
    }

    @Test
    void aShutdownAfterTheSummaryOrWithNothingHeldSaysNothing() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(1), null, clock);
        quiet.begin();
        assertThat(quiet.closeAtShutdown()).isNull();
    }

    @Test
    void noTimeAndNoSignalIsEmptyAndHoldsNothing() {
        QuietPeriod quiet = new QuietPeriod(Duration.ZERO, null, clock);
        assertThat(quiet.isEmpty()).isTrue();
        quiet.begin();
        assertThat(quiet.holds(clock.instant().minusSeconds(1))).isFalse();
    }
}

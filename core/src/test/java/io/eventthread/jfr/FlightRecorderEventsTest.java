package io.eventthread.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Flight Recorder recording shows a group's slow callback, stuck episode, samples and shutdown. */
@Timeout(60)
class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    @Test
    void recordingShowsSlowCallbackStuckLoopSamplesAndShutdown() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        try (Recording recording = new Recording()) {
            recording.enable("io.eventthread.SlowCallback");
            recording.enable("io.eventthread.StuckLoop");
            recording.enable("io.eventthread.LoopRecovered");
            recording.enable("io.eventthread.Shutdown");
            recording.enable("io.eventthread.LoopSample").withPeriod(Duration.ofMillis(100));
            recording.start();

            EventThread loops = EventThread.builder().threadNamePrefix("jfr-events")
                    .slowCallbackThreshold(Duration.ofMillis(50))
                    .stuckThreshold(Duration.ofMillis(300))
                    .watchdogInterval(Duration.ofMillis(50))
                    .listener(new EventLoopListener() {
                        @Override
                        public void slowCallback(EventLoop loop, String task, Duration duration) {
                            slow.countDown();
                        }

                        @Override
                        public void recovered(EventLoop loop, Duration stuckFor) {
                            recovered.countDown();
                        }
                    })
                    .build().start();
            EventLoop loop = loops.next();
            // The watch takes a callback's stack in a sample at least half the threshold into it;
            // a machine that starves the watchdog for the whole callback leaves that one reported
            // slow but without a stack (by design: the stack is a sample). So the slow callback is
            // repeated, each one reported, until the watch sampled one.
            for (int attempt = 1; ; attempt++) {
                assertThat(attempt).as("a slow callback the watch sampled").isLessThanOrEqualTo(10);
                loop.submit(EventLoop.labeled("slow-one", () -> sleep(150))).get(10, TimeUnit.SECONDS);
                int reported = attempt;
                List<RecordedEvent> soFar = awaitEvents(recording, dir.resolve("slow.jfr"),
                        all -> slowOnes(all).size() >= reported);
                assertThat(slowOnes(soFar)).hasSize(attempt);
                if (slowOnes(soFar).stream().anyMatch(e -> e.getString("stack").contains("FlightRecorderEventsTest.sleep"))) {
                    break;
                }
            }
            assertThat(slow.await(10, TimeUnit.SECONDS)).isTrue();
            loop.submit(EventLoop.labeled("stuck-one", () -> sleep(1_000))).get(10, TimeUnit.SECONDS);
            assertThat(recovered.await(10, TimeUnit.SECONDS)).isTrue();
            ShutdownReport report = loops.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

            Path file = dir.resolve("loops.jfr");
            // the listener events reach the recorder on the notifier thread, after our listener: poll the dump
            List<RecordedEvent> events = awaitEvents(recording, file, all -> has(all, "io.eventthread.SlowCallback")
                    && has(all, "io.eventthread.StuckLoop") && has(all, "io.eventthread.LoopRecovered")
                    && has(all, "io.eventthread.Shutdown") && has(all, "io.eventthread.LoopSample"));

            assertThat(slowOnes(events)).isNotEmpty().allSatisfy(slowEvent -> {
                assertThat(slowEvent.getString("loop")).isEqualTo(loop.name());
                assertThat(slowEvent.getDuration("callbackDuration")).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            }).anySatisfy(slowEvent -> assertThat(slowEvent.getString("stack")).contains("FlightRecorderEventsTest.sleep"));
            assertThat(first(events, "io.eventthread.SlowCallback").getString("task")).isEqualTo("slow-one");

            RecordedEvent stuck = first(events, "io.eventthread.StuckLoop");
            assertThat(stuck.getString("loop")).isEqualTo(loop.name());
            assertThat(stuck.getDuration("stuckFor")).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(stuck.getString("stack")).contains("FlightRecorderEventsTest.sleep");

            assertThat(first(events, "io.eventthread.LoopRecovered").getDuration("stuckFor"))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));

            RecordedEvent shutdown = first(events, "io.eventthread.Shutdown");
            assertThat(shutdown.getString("group")).isEqualTo("jfr-events");
            assertThat(shutdown.getString("outcome")).isEqualTo(report.outcome().name());
            assertThat(shutdown.getLong("tasksCancelled")).isEqualTo(report.tasksCancelled());
            assertThat(shutdown.getDuration("shutdownDuration")).isEqualTo(report.duration());

            RecordedEvent sample = events.stream().filter(e -> e.getEventType().getName().equals("io.eventthread.LoopSample")
                    && e.getString("loop").equals(loop.name())).findFirst().orElseThrow();
            assertThat(sample.getInt("queueDepth")).isGreaterThanOrEqualTo(0);
            assertThat(sample.getDuration("busyTime")).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(sample.getEventType().getLabel()).isEqualTo("Loop Sample");
            assertThat(sample.getEventType().getCategoryNames()).containsExactly("EventThread", "Loop");
            assertThat(sample.getEventType().getDescription()).contains("queue depth");
        }
    }

    @Test
    void noEventsWithTheRecorderTurnedOff() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        try (Recording recording = new Recording()) {
            recording.enable("io.eventthread.SlowCallback");
            recording.start();
            EventThread loops = EventThread.builder().threadNamePrefix("jfr-off").flightRecorder(false)
                    .slowCallbackThreshold(Duration.ofMillis(20)).watchdogInterval(Duration.ofMillis(20))
                    .listener(new EventLoopListener() {
                        @Override
                        public void slowCallback(EventLoop loop, String task, Duration duration) {
                            slow.countDown();
                        }
                    })
                    .build().start();
            // a slow callback the recorder would have recorded; again if a starved watchdog missed it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                loops.next().submit(() -> sleep(100)).get(10, TimeUnit.SECONDS);
            } while (!slow.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline);
            assertThat(slow.getCount()).isZero();
            loops.close();
            Path file = dir.resolve("off.jfr");
            recording.dump(file);
            assertThat(RecordingFile.readAllEvents(file)).noneMatch(e -> e.getEventType().getName().startsWith("io.eventthread")
                    && "jfr-off-1".equals(e.getString("loop")));
        }
    }

    @Test
    void aGroupBuiltBeforeTheRecordingStartsIsSampled() throws Exception {
        // building a group does not initialise Flight Recorder; a recording started later still samples it
        try (EventThread loops = EventThread.builder().threadNamePrefix("jfr-late").build().start();
             Recording recording = new Recording()) {
            recording.enable("io.eventthread.LoopSample").withPeriod(Duration.ofMillis(100));
            recording.start();
            List<RecordedEvent> events = awaitEvents(recording, dir.resolve("late.jfr"), all -> all.stream()
                    .anyMatch(e -> e.getEventType().getName().equals("io.eventthread.LoopSample")
                            && "jfr-late-1".equals(e.getString("loop"))));
            assertThat(events).anyMatch(e -> e.getEventType().getName().equals("io.eventthread.LoopSample")
                    && "jfr-late-1".equals(e.getString("loop")));
        }
    }

    private static List<RecordedEvent> awaitEvents(Recording recording, Path file, Predicate<List<RecordedEvent>> complete)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            Files.deleteIfExists(file);
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            if (complete.test(events) || System.nanoTime() > deadline) {
                return events;
            }
            Thread.sleep(100);
        }
    }

    private static List<RecordedEvent> slowOnes(List<RecordedEvent> events) {
        return events.stream().filter(e -> e.getEventType().getName().equals("io.eventthread.SlowCallback")
                && "slow-one".equals(e.getString("task"))).toList();
    }

    private static boolean has(List<RecordedEvent> events, String name) {
        return events.stream().anyMatch(e -> e.getEventType().getName().equals(name));
    }

    private static RecordedEvent first(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " event in the recording"));
    }

    static Void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return null;
    }
}

package io.eventthread.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import io.eventthread.internal.jfr.BlockingCallDetector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A quiet start: blocking calls made before the signal are held (not logged, counted or reported)
 * and summarised once; those after it are reported as usual. The event stream delivers in order,
 * so once the call after the signal is reported, the one before it would have been.
 */
@Timeout(60)
class BlockingQuietStartTest {

    private static final long WAIT_SECONDS = 20;

    @Test
    void callsBeforeTheSignalAreHeldAndSummarisedThoseAfterItReported() throws Exception {
        BlockingQueue<StackTraceElement[]> reports = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        try (TestLoops.CapturedLog log = new TestLoops.CapturedLog(BlockingCallDetector.class);
                EventThread group = EventThread.builder().threadNamePrefix("quiet-start")
                        .blockingDetection(true).blockingDetectionThreshold(Duration.ofMillis(20))
                        .blockingDetectionQuietUntil(ready)
                        .listener(new EventLoopListener() {
                            @Override
                            public void blockingCall(EventLoop l, String call, Duration d, StackTraceElement[] stack) {
                                reports.add(stack);
                            }
                        })
                        .build().start()) {
            EventLoop loop = group.next();
            loop.submit(() -> startUpWork()).get(10, TimeUnit.SECONDS);
            ready.complete(null);
            loop.submit(() -> afterReady()).get(10, TimeUnit.SECONDS);

            // the stream delivers in order: once the call after the signal is in, the start-up one
            // would have been; other reports (a monitor contended over 20 ms on a saturated
            // machine) are passed over, as BlockingCallDetectionTest does
            List<StackTraceElement[]> seen = awaitReportFrom(reports, "afterReady");
            assertThat(seen).as("the start-up call is held").noneMatch(stack -> calledFrom(stack, "startUpWork"));
            assertThat(messages(log)).noneMatch(m -> m.startsWith("blocking call") && m.contains("startUpWork"))
                    .anyMatch(m -> m.startsWith("blocking call") && m.contains("afterReady"));
            awaitSummary(log);
            assertThat(messages(log)).filteredOn(m -> m.contains("quiet period over")).singleElement().asString()
                    .startsWith("group '" + group.name() + "': blocking-call detection: quiet period over")
                    .containsPattern("; [1-9][0-9]* held during it, not logged or counted \\(the first: event loop '"
                            + loop.name() + "': ");
        }
    }

    @Test
    void aNegativeQuietPeriodIsRefusedWithTheRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EventThread.builder().blockingDetectionQuietPeriod(Duration.ofSeconds(-1)).build())
                .withMessage("blockingDetectionQuietPeriod: PT-1S (expected: >= 0, or Duration.ZERO for none)");
    }

    private static Void startUpWork() throws InterruptedException {
        Thread.sleep(100);
        return null;
    }

    private static Void afterReady() throws InterruptedException {
        Thread.sleep(100);
        return null;
    }

    /** Reports until one from {@code method} (the last in the list); fails after the wait. */
    static List<StackTraceElement[]> awaitReportFrom(BlockingQueue<StackTraceElement[]> reports, String method)
            throws InterruptedException {
        List<StackTraceElement[]> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (seen.isEmpty() || !calledFrom(seen.get(seen.size() - 1), method)) {
            StackTraceElement[] next = reports.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(next).as("a report of the call from %s within %d s", method, WAIT_SECONDS).isNotNull();
            seen.add(next);
        }
        return seen;
    }

    private static boolean calledFrom(StackTraceElement[] stack, String method) {
        return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method)
                && f.getClassName().equals(BlockingQuietStartTest.class.getName()));
    }

    private static List<String> messages(TestLoops.CapturedLog log) {
        return log.records.stream().map(LogRecord::getMessage).map(String::valueOf).toList();
    }

    /** The summary comes with the stream's next flush after the signal, about a second. */
    private static void awaitSummary(TestLoops.CapturedLog log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (messages(log).stream().noneMatch(m -> m.contains("quiet period over"))) {
            assertThat(System.nanoTime()).as("the summary within %d s", WAIT_SECONDS).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

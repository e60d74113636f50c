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

            StackTraceElement[] first = reports.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(first).as("the call after the signal is reported").isNotNull();
            assertThat(calledFrom(first, "afterReady")).as("the first report is not the start-up call").isTrue();
            assertThat(reports).isEmpty();
            assertThat(loop.stats().blockingCalls()).as("the held call is not counted").isEqualTo(1);
            assertThat(messages(log)).noneMatch(m -> m.contains("startUpWork") && m.startsWith("blocking call"));
            awaitSummary(log);
            assertThat(messages(log)).filteredOn(m -> m.contains("quiet period over")).singleElement()
                    .asString().startsWith("group '" + group.name() + "': blocking-call detection: quiet period over")
                    .contains("1 held during it, not logged or counted (the first: event loop '" + loop.name()
                            + "': Thread.sleep at " + BlockingQuietStartTest.class.getName() + ".startUpWork(line ");
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

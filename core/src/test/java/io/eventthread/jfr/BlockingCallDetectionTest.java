package io.eventthread.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import io.eventthread.internal.jfr.BlockingCallDetector;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking calls in callbacks on a loop thread are reported, one test per JDK event kind; the
 * loop's idle parking and plain threads' blocking are not. The event stream delivers about once a
 * second, so each test waits seconds for its report.
 */
@Timeout(60)
class BlockingCallDetectionTest {

    private static final Duration THRESHOLD = Duration.ofMillis(20);
    /** Comfortably above the threshold, so a call is reported even if the clock reads short. */
    private static final long BLOCK_MILLIS = 100;
    private static final long WAIT_SECONDS = 20;

    record Report(EventLoop loop, String call, Duration duration, StackTraceElement[] stack) {
        boolean calledFrom(String method) {
            return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method)
                    && f.getClassName().equals(BlockingCallDetectionTest.class.getName()));
        }
    }

    static final BlockingQueue<Report> REPORTS = new LinkedBlockingQueue<>();
    static EventThread loops;
    static EventLoop loop;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        loops = EventThread.builder().threadNamePrefix("blocking-detect")
                .blockingDetection(true).blockingDetectionThreshold(THRESHOLD)
                .listener(new EventLoopListener() {
                    @Override
                    public void blockingCall(EventLoop l, String call, Duration duration, StackTraceElement[] stack) {
                        REPORTS.add(new Report(l, call, duration, stack));
                    }
                })
                .build().start();
        loop = loops.next();
        loop.submit(() -> null).get(10, TimeUnit.SECONDS); // the detector has learnt the loop thread
    }

    @AfterAll
    static void stop() {
        loops.close();
    }

    @BeforeEach
    void clear() {
        PASSED_OVER.clear();
    }

    /** Reports passed over by {@link #awaitReport}: late ones of earlier tests. */
    static final List<Report> PASSED_OVER = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * The next report made from {@code method}. Reports of other calls are set aside: a report of
     * an earlier test may arrive late, since the stream delivers in batches.
     */
    private static Report awaitReport(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Report report;
        while (true) {
            report = REPORTS.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(report).as("a blocking call reported from " + method + "; passed over: " + PASSED_OVER).isNotNull();
            if (report.calledFrom(method)) {
                break;
            }
            PASSED_OVER.add(report);
        }
        assertThat(report.loop()).isSameAs(loop);
        assertThat(report.duration()).isGreaterThanOrEqualTo(THRESHOLD);
        return report;
    }

    @Test
    void threadSleep() throws Exception {
        long before = loop.stats().blockingCalls();
        loop.submit(() -> sleepOnLoop()).get(10, TimeUnit.SECONDS);
        Report report = awaitReport("sleepOnLoop");
        assertThat(report.call()).isEqualTo("Thread.sleep");
        // counted in the loop's stats before the listeners hear of it
        assertThat(loop.stats().blockingCalls()).isGreaterThan(before);
    }

    private static Void sleepOnLoop() throws InterruptedException {
        Thread.sleep(BLOCK_MILLIS);
        return null;
    }

    @Test
    void threadPark() throws Exception {
        loop.submit(() -> parkOnLoop()).get(10, TimeUnit.SECONDS);
        assertThat(awaitReport("parkOnLoop").call()).startsWith("park (LockSupport.park)");
    }

    private static Void parkOnLoop() throws InterruptedException {
        new CountDownLatch(1).await(BLOCK_MILLIS, TimeUnit.MILLISECONDS);
        return null;
    }

    @Test
    void javaMonitorEnter() throws Exception {
        Object monitor = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch loopWaiting = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    loopWaiting.await(10, TimeUnit.SECONDS);
                    Thread.sleep(BLOCK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "monitor-holder");
        holder.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        var done = loop.submit(() -> enterOnLoop(monitor, loopWaiting));
        done.get(10, TimeUnit.SECONDS);
        holder.join(10_000);
        Report report = awaitReport("enterOnLoop");
        assertThat(report.call()).isEqualTo("monitor enter (synchronized) on java.lang.Object");
    }

    private static Void enterOnLoop(Object monitor, CountDownLatch loopWaiting) {
        loopWaiting.countDown();
        synchronized (monitor) {
            return null;
        }
    }

    @Test
    void socketReadAndWrite() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            // read: the peer answers only after a while
            Thread answer = new Thread(() -> {
                awaitLoopBlockedIn("readOnLoop");
                LockSupport.parkNanos(Duration.ofMillis(BLOCK_MILLIS).toNanos());
                try {
                    peer.getOutputStream().write(42);
                } catch (Exception ignored) {
                    // the test fails on the missing byte
                }
            });
            answer.start();
            assertThat(loop.submit(() -> readOnLoop(client.getInputStream())).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            Report read = awaitReport("readOnLoop");
            assertThat(read.call()).startsWith("socket read from ").endsWith(":" + server.getLocalPort());

            // write: more than the socket buffers hold, while the peer starts draining only after a while
            byte[] big = new byte[32 * 1024 * 1024];
            Thread drain = new Thread(() -> {
                awaitLoopBlockedIn("writeOnLoop");
                LockSupport.parkNanos(Duration.ofMillis(BLOCK_MILLIS).toNanos());
                try {
                    InputStream in = peer.getInputStream();
                    byte[] buffer = new byte[1 << 16];
                    long left = big.length;
                    while (left > 0) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            return;
                        }
                        left -= n;
                    }
                } catch (Exception ignored) {
                    // the write then fails, and the test with it
                }
            });
            drain.start();
            loop.submit(() -> writeOnLoop(client.getOutputStream(), big)).get(20, TimeUnit.SECONDS);
            Report write = awaitReport("writeOnLoop");
            assertThat(write.call()).startsWith("socket write to ");
            drain.join(10_000);
        }
    }

    /**
     * Waits until the loop thread is inside {@code method} and in native code (in the socket
     * call), so the peer's delay after it is all the call's own: timed from the peer thread's
     * start instead, a loop that a busy machine runs late finds the data there and never blocks.
     * Goes on after 10 s regardless; the missing report then fails the test.
     */
    private static void awaitLoopBlockedIn(String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = loop.threadStack();
            if (stack.length > 0 && stack[0].isNativeMethod()
                    && Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method))) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    private static int readOnLoop(InputStream in) throws Exception {
        return in.read();
    }

    private static Void writeOnLoop(OutputStream out, byte[] bytes) throws Exception {
        out.write(bytes);
        out.flush();
        return null;
    }

    @Test
    void fileReadAndWrite() throws Exception {
        // a named pipe blocks the reader until the writer writes, and the writer while the pipe is full
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(fifo)).as("mkfifo").isTrue();

        Thread writer = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                LockSupport.parkNanos(Duration.ofMillis(BLOCK_MILLIS).toNanos());
                out.write(7);
            } catch (Exception ignored) {
                // the read then fails, and the test with it
            }
        });
        writer.start();
        assertThat(loop.submit(() -> fileReadOnLoop(fifo)).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        writer.join(10_000);
        Report read = awaitReport("fileReadOnLoop");
        assertThat(read.call()).isEqualTo("file read of " + fifo);

        byte[] big = new byte[4 * 1024 * 1024]; // a pipe holds 64 KiB
        Thread reader = new Thread(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                LockSupport.parkNanos(Duration.ofMillis(BLOCK_MILLIS).toNanos());
                byte[] buffer = new byte[1 << 16];
                long left = big.length;
                while (left > 0) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        throw new java.io.EOFException(left + " bytes short");
                    }
                    left -= n;
                }
            } catch (Exception e) {
                e.printStackTrace(); // the write then fails, and the test with it
            }
        });
        reader.start();
        loop.submit(() -> fileWriteOnLoop(fifo, big)).get(20, TimeUnit.SECONDS);
        reader.join(10_000);
        Report write = awaitReport("fileWriteOnLoop");
        assertThat(write.call()).isEqualTo("file write to " + fifo);
    }

    private static int fileReadOnLoop(Path fifo) throws Exception {
        try (InputStream in = new FileInputStream(fifo.toFile())) {
            return in.read();
        }
    }

    private static Void fileWriteOnLoop(Path fifo, byte[] bytes) throws Exception {
        try (OutputStream out = new FileOutputStream(fifo.toFile())) {
            out.write(bytes);
        }
        return null;
    }

    @Test
    void plainAndBlockingPoolThreadsAndTheLoopsIdleParkAreNotReported() throws Exception {
        Thread plain = new Thread(() -> {
            try {
                sleepOnPlainThread();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "plain-thread");
        plain.start();
        plain.join(10_000);
        // the fix the warning suggests: the same sleep through runBlocking runs on a pool thread
        loop.runBlocking(() -> {
            sleepOnPlainThread();
            return null;
        }).get(10, TimeUnit.SECONDS);
        // the loop has idled (parked) far longer than the threshold meanwhile; now a marker on the loop
        Thread.sleep(BLOCK_MILLIS); // lets the idle park outlast the threshold
        loop.submit(() -> sleepOnLoop()).get(10, TimeUnit.SECONDS);
        // once the marker is in, the plain thread's sleep and the idle park would have been too
        Report report = awaitReport("sleepOnLoop");
        assertThat(report.call()).isEqualTo("Thread.sleep");
        List<Report> others = new java.util.ArrayList<>(PASSED_OVER);
        REPORTS.drainTo(others);
        assertThat(others).noneMatch(r -> r.calledFrom("sleepOnPlainThread"))
                .noneMatch(r -> Arrays.stream(r.stack()).anyMatch(f -> f.getMethodName().equals("idle")));
    }

    private static void sleepOnPlainThread() throws InterruptedException {
        Thread.sleep(BLOCK_MILLIS);
    }

    @Test
    void theLogNamesTheLoopTheCallAndTheCulpritFrame() throws Exception {
        try (TestLoops.CapturedLog log = new TestLoops.CapturedLog(BlockingCallDetector.class)) {
            loop.submit(() -> sleepOnLoop()).get(10, TimeUnit.SECONDS);
            awaitReport("sleepOnLoop");
            // the log line is written before the listeners are called
            assertThat(log.records).anySatisfy(r -> assertThat(r.getMessage())
                    .startsWith("blocking call on event loop '" + loop.name() + "': Thread.sleep for ")
                    .contains(" ms, at " + BlockingCallDetectionTest.class.getName() + ".sleepOnLoop(line "));
        }
    }

    @Test
    void aRecordingShowsTheBlockingCallEvent() throws Exception {
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("io.eventthread.BlockingCall");
            recording.start();
            loop.submit(() -> sleepOnLoop()).get(10, TimeUnit.SECONDS);
            awaitReport("sleepOnLoop");
            Path file = dir.resolve("blocking.jfr");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<jdk.jfr.consumer.RecordedEvent> events;
            do {
                // the event is committed on the notifier thread, after our listener saw the report
                Files.deleteIfExists(file);
                recording.dump(file);
                events = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("io.eventthread.BlockingCall")).toList();
            } while (events.isEmpty() && System.nanoTime() < deadline && sleepBriefly());
            assertThat(events).isNotEmpty();
            jdk.jfr.consumer.RecordedEvent event = events.get(0);
            assertThat(event.getString("loop")).isEqualTo(loop.name());
            assertThat(event.getString("call")).isEqualTo("Thread.sleep");
            assertThat(event.getDuration("blockedFor")).isGreaterThanOrEqualTo(THRESHOLD);
            assertThat(event.getString("stack")).contains("sleepOnLoop");
        }
    }

    private static boolean sleepBriefly() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }
}

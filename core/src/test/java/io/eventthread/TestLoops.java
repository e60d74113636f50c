package io.eventthread;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/** Helpers shared by the core tests. */
public final class TestLoops {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private TestLoops() {
    }

    public static EventThread.Builder builder(String name) {
        return EventThread.builder().threadNamePrefix(name);
    }

    public static EventThread started(String name, int loops) {
        return builder(name).loopCount(loops).build().start();
    }

    /** Waits until everything queued on the loop before this call has run. */
    public static void sync(EventLoop loop) throws Exception {
        loop.submit(() -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the loop thread is parked in its idle wait, so no burst is in progress. */
    public static void awaitParked(EventLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = loop.threadStack();
            if (stack.length > 0 && stack[0].getMethodName().equals("park")
                    && java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("idle"))) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("loop " + loop.name() + " did not go idle");
    }

    /** Captures what the engine logs through System.Logger (JUL by default). */
    public static final class CapturedLog extends Handler implements AutoCloseable {
        public final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final Logger logger;

        public CapturedLog(Class<?> source) {
            logger = Logger.getLogger(source.getName());
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }

        boolean contains(String text) {
            return records.stream().anyMatch(r -> String.valueOf(r.getMessage()).contains(text));
        }
    }
}

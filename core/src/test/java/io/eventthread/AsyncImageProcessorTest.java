package io.eventthread;

import io.eventthread.bridge.LoopQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 001's {@code AsyncImageProcessor}: loop code hands items to a synchronous worker thread and
 * awaits the results through a queue. The worker is sequential and takers are served first come,
 * first served, so each submitter gets its own result.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncImageProcessorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The loop-side face of the worker: submit an image, get the processed one. */
    static final class AsyncImageProcessor {

        private final LoopQueue<String> toWorker;
        private final LoopQueue<String> results;

        AsyncImageProcessor(LoopQueue<String> toWorker, LoopQueue<String> results) {
            this.toWorker = toWorker;
            this.results = results;
        }

        LoopFuture<String> submit(String image) {
            // take our place in the line of result takers before the worker can answer
            LoopFuture<String> result = results.takeAsync();
            toWorker.putAsync(image);
            return result;
        }
    }

    @Test
    void resultsComeBackInSubmissionOrder() throws Exception {
        try (EventThread group = EventThread.builder().loopCount(1).threadNamePrefix("test").build().start()) {
            EventLoop loop = group.next();
            LoopQueue<String> toWorker = LoopQueue.unbounded(loop);
            LoopQueue<String> results = LoopQueue.unbounded(loop);
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        results.put(toWorker.take().toUpperCase(Locale.ROOT)); // the synchronous ImageProcessor
                    }
                } catch (ClosedException | InterruptedException stopped) {
                    // done
                }
            }, "image-worker");
            worker.start();
            try {
                AsyncImageProcessor processor = new AsyncImageProcessor(toWorker, results);

                List<LoopFuture<String>> tasks = loop.submit(() -> {
                    List<LoopFuture<String>> submitted = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        submitted.add(processor.submit("image " + i));
                    }
                    return submitted;
                }).await(WAIT);

                List<String> printed = new ArrayList<>();
                for (LoopFuture<String> task : tasks) {
                    printed.add(task.await(WAIT));
                }
                assertThat(printed).containsExactly("IMAGE 0", "IMAGE 1", "IMAGE 2", "IMAGE 3", "IMAGE 4");
            } finally {
                toWorker.close();
                worker.join(WAIT.toMillis());
            }
            assertThat(worker.isAlive()).isFalse();
        }
    }
}

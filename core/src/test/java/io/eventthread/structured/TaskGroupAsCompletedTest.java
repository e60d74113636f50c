package io.eventthread.structured;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task group whose children are delivered as they complete: asyncio's closing example of
 * the threaded-async guide, in Java:
 *
 * <pre>
 * async with asyncio.TaskGroup() as tg:
 *     for i in range(5):
 *         task = tg.create_task(worker.submit(f"image {i}".encode()))
 *         tasks.append(task)
 *     for task in asyncio.as_completed(tasks):
 *         print(await task)
 * </pre>
 */
@Timeout(30)
class TaskGroupAsCompletedTest {

    /** The worker: images take different times, so they finish out of submission order. */
    private static LoopFuture<String> submit(EventLoop loop, String image, int millis) {
        return loop.runBlocking(() -> {
            Thread.sleep(millis);
            return "processed " + image;
        });
    }

    @Test
    void childrenOfAGroupArriveInCompletionOrder() throws Exception {
        try (EventThread tel = EventThread.builder().threadNamePrefix("tg-as-completed").build().start()) {
            EventLoop loop = tel.next();
            int[] delays = {1200, 300, 900, 0, 600};
            List<String> printed = new ArrayList<>();

            try (TaskGroup tg = TaskGroup.open(loop)) {
                List<LoopFuture<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String image = "image " + i;
                    int millis = delays[i];
                    tasks.add(tg.submitAsync(() -> submit(loop, image, millis)));
                }
                for (LoopFuture<String> task : LoopFutures.asCompleted(loop, tasks)) {
                    printed.add(task.await(Duration.ofSeconds(10)));
                }
            }

            assertThat(printed).containsExactlyInAnyOrder("processed image 0", "processed image 1",
                    "processed image 2", "processed image 3", "processed image 4");
            // 300 ms gaps keep the first and the last apart even on a busy machine; the middle
            // ones may swap when a pool thread starts late
            assertThat(printed.get(0)).isEqualTo("processed image 3");
            assertThat(printed.get(4)).isEqualTo("processed image 0");
        }
    }
}

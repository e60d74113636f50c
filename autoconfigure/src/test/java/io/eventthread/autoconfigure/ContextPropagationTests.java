package io.eventthread.autoconfigure;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Micrometer context flows from the submitting thread to the loop (direct submissions and
 * the TaskScheduler view) and on to the blocking pool when io.micrometer:context-propagation is
 * present.
 */
@Timeout(30)
class ContextPropagationTests {

    private static final String KEY = "eventthread.test";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class));

    @BeforeEach
    void registerAccessor() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, CURRENT::get, CURRENT::set, CURRENT::remove);
    }

    @AfterEach
    void removeAccessor() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
        CURRENT.remove();
    }

    @Test
    void contextShouldBePropagatedByDefaultWhenTheLibraryIsPresent() {
        this.contextRunner.run((context) -> assertThat(valueSeenOnLoop(context.getBean("eventThreadTaskScheduler",
                TaskScheduler.class))).isEqualTo("from-caller"));
    }

    @Test
    void contextShouldNotBePropagatedWhenDisabled() {
        this.contextRunner.withPropertyValues("eventthread.context-propagation=false")
            .run((context) -> assertThat(
                    valueSeenOnLoop(context.getBean("eventThreadTaskScheduler", TaskScheduler.class)))
                .isEqualTo("none"));
    }

    @Test
    void contextShouldFlowIntoDirectSubmissionsAndOnIntoTheBlockingPool() {
        this.contextRunner.run((context) -> {
            io.eventthread.EventThread eventThread = context.getBean(io.eventthread.EventThread.class);
            CURRENT.set("from-caller");
            CompletableFuture<String> onLoop;
            CompletableFuture<String> onPool;
            try {
                onLoop = eventThread.next().submit(CURRENT::get);
                onPool = eventThread.next().submitAsync(() -> eventThread.next().runBlocking(CURRENT::get));
            }
            finally {
                CURRENT.remove();
            }
            assertThat(onLoop.get(10, TimeUnit.SECONDS)).isEqualTo("from-caller");
            assertThat(onPool.get(10, TimeUnit.SECONDS)).isEqualTo("from-caller");
        });
    }

    private static String valueSeenOnLoop(TaskScheduler scheduler) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        CURRENT.set("from-caller");
        try {
            scheduler.schedule(() -> seen.complete(String.valueOf(CURRENT.get()).replace("null", "none")),
                    Instant.now());
        }
        finally {
            CURRENT.remove();
        }
        return seen.get(10, TimeUnit.SECONDS);
    }

}

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
 * Tests that the TaskScheduler view carries Micrometer context from the scheduling thread to the
 * loop when io.micrometer:context-propagation is present.
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

package io.eventthread.autoconfigure.endpoint;

import java.time.Duration;

import io.eventthread.EventThread;
import io.eventthread.LoopState;
import io.eventthread.autoconfigure.BlockedLoop;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.eventthread.autoconfigure.endpoint.EventThreadEndpoint.EventThreadDescriptor;
import io.eventthread.autoconfigure.endpoint.EventThreadEndpoint.LoopDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventThreadEndpoint} and its auto-configuration.
 */
@Timeout(30)
class EventThreadEndpointTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class,
                EventThreadEndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=eventthread",
                "eventthread.stuck-threshold=100ms", "eventthread.watchdog-interval=20ms", "eventthread.loop-count=2");

    @Test
    void endpointShouldDescribeEveryLoopAndTheThresholds() {
        this.contextRunner.run((context) -> {
            EventThreadDescriptor descriptor = context.getBean(EventThreadEndpoint.class).eventThread("eventThread");
            assertThat(descriptor.threadNamePrefix()).isEqualTo("eventthread");
            assertThat(descriptor.blocking().maxThreads()).isPositive();
            assertThat(descriptor.thresholds().stuck()).isEqualTo("PT0.1S");
            assertThat(descriptor.thresholds().slowCallback()).isEqualTo("PT0.1S");
            assertThat(descriptor.loops()).extracting(LoopDescriptor::name).containsExactly("eventthread-1", "eventthread-2");
            assertThat(descriptor.loops()).allSatisfy((loop) -> assertThat(loop.stack()).isNull());
            // blocking-call detection is off by default
            assertThat(descriptor.loops()).allSatisfy((loop) -> assertThat(loop.blockingCalls()).isZero());
        });
    }

    @Test
    void endpointShouldShowTheStackOfAStuckLoop() {
        this.contextRunner.run((context) -> {
            EventThread eventThread = context.getBean(EventThread.class);
            EventThreadEndpoint endpoint = context.getBean(EventThreadEndpoint.class);
            BlockedLoop blocked = BlockedLoop.block(eventThread.loops().get(0));
            try {
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> endpoint.eventThread("eventThread").loops().get(0).stuck());
                LoopDescriptor stuck = endpoint.eventThread("eventThread").loops().get(0);
                assertThat(stuck.stack()).anyMatch((frame) -> frame.contains(BlockedLoop.class.getName()));
                assertThat(endpoint.eventThread("eventThread").loops().get(1).stack()).isNull();
            }
            finally {
                blocked.close();
            }
        });
    }

    @Test
    void endpointShouldListEveryGroupByBeanNameAndSelectOne() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=1", "eventthread.groups.io.health.max-queue-depth=5")
            .withBean("mine", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                EventThreadEndpoint endpoint = context.getBean(EventThreadEndpoint.class);
                assertThat(endpoint.eventThreads().groups()).containsOnlyKeys("eventThread", "io", "mine");
                EventThreadDescriptor io = endpoint.eventThread("io");
                assertThat(io.loops()).extracting(LoopDescriptor::name).containsExactly("io-1");
                assertThat(io.thresholds().maxQueueDepth()).isEqualTo(5);
                assertThat(io.thresholds().stuck()).as("inherited from the top level").isEqualTo("PT0.1S");
                assertThat(endpoint.eventThread("mine").loops()).singleElement()
                    .satisfies((loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING));
                assertThat(endpoint.eventThread("nope")).as("404").isNull();
            });
    }

    @Test
    void endpointWhenNotExposedShouldBackOff() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
            .run((context) -> assertThat(context).doesNotHaveBean(EventThreadEndpoint.class));
    }

    @Test
    void endpointWithoutActuatorShouldBackOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasBean("eventThread")
                .doesNotHaveBean("eventThreadEndpoint"));
    }

}

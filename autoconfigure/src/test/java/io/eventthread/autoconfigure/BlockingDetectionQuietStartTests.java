package io.eventthread.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eventthread.blocking-detection.quiet-until-ready} and {@code quiet-period}: blocking calls
 * of a start-up are held until the application is ready, and reported after it.
 */
@Timeout(60)
class BlockingDetectionQuietStartTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class))
        .withPropertyValues("eventthread.blocking-detection.enabled=true",
                "eventthread.blocking-detection.threshold=20ms");

    @Test
    void quietUntilReadyShouldHoldTheCallsOfTheStartUpAndReportThoseAfterTheReadyEvent() {
        BlockingQueue<StackTraceElement[]> reports = new LinkedBlockingQueue<>();
        this.contextRunner.withPropertyValues("eventthread.blocking-detection.quiet-until-ready=true")
            .withBean(EventLoopListener.class, () -> new EventLoopListener() {
                @Override
                public void blockingCall(EventLoop loop, String call, Duration duration, StackTraceElement[] stack) {
                    reports.add(stack);
                }
            })
            .run((context) -> {
                EventLoop loop = context.getBean(EventThread.class).next();
                loop.submit(BlockingDetectionQuietStartTests::startUpWork).get(10, TimeUnit.SECONDS);
                context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
                        (ConfigurableApplicationContext) context.getSourceApplicationContext(), Duration.ZERO));
                loop.submit(BlockingDetectionQuietStartTests::afterReady).get(10, TimeUnit.SECONDS);
                // the stream delivers in order: once the later call is reported, the earlier one would
                // have been; other reports (a monitor contended over 20 ms on a busy machine) pass
                List<StackTraceElement[]> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (seen.isEmpty() || !calledFrom(seen.get(seen.size() - 1), "afterReady")) {
                    StackTraceElement[] next = reports.poll(Math.max(0, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                    assertThat(next).as("the call after the ready event is reported").isNotNull();
                    seen.add(next);
                }
                assertThat(seen).as("the start-up call is held")
                    .noneMatch((stack) -> calledFrom(stack, "startUpWork"));
            });
    }

    @Test
    void quietStartSettingsShouldBeInheritedByNamedGroupsAndDefaultToNone() {
        this.contextRunner
            .withPropertyValues("eventthread.blocking-detection.quiet-period=45s",
                    "eventthread.groups.io.blocking-detection.quiet-until-ready=true")
            .run((context) -> {
                EventThreadGroups groups = context.getBean(EventThreadGroups.class);
                var top = groups.settings(EventThreadAutoConfiguration.DEFAULT_GROUP).getBlockingDetection();
                var io = groups.settings("io").getBlockingDetection();
                assertThat(top.getQuietPeriod()).isEqualTo(Duration.ofSeconds(45));
                assertThat(top.isQuietUntilReady()).isFalse();
                assertThat(io.getQuietPeriod()).isEqualTo(Duration.ofSeconds(45));
                assertThat(io.isQuietUntilReady()).isTrue();
            });
        this.contextRunner.run((context) -> {
            var defaults = context.getBean(EventThreadProperties.class).getBlockingDetection();
            assertThat(defaults.getQuietPeriod()).isZero();
            assertThat(defaults.isQuietUntilReady()).isFalse();
        });
    }

    @Test
    void aNegativeQuietPeriodShouldFailTheStartWithTheProperty() {
        this.contextRunner.withPropertyValues("eventthread.blocking-detection.quiet-period=-1s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("eventthread.blocking-detection.quiet-period"));
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
        return Arrays.stream(stack)
            .anyMatch((f) -> f.getMethodName().equals(method)
                    && f.getClassName().equals(BlockingDetectionQuietStartTests.class.getName()));
    }

}

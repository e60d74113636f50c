package io.eventthread.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the blocking pool follows {@code spring.threads.virtual.enabled} unless
 * {@code eventthread.blocking.virtual-threads} says otherwise.
 */
@Timeout(30)
class VirtualThreadsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class));

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void blockingPoolShouldFollowSpringVirtualThreads() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
            .run((context) -> assertThat(blockingWorkRunsVirtual(context.getBean(EventThread.class))).isTrue());
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void ownPropertyShouldOverrideSpringVirtualThreads() {
        this.contextRunner
            .withPropertyValues("spring.threads.virtual.enabled=true", "eventthread.blocking.virtual-threads=false")
            .run((context) -> assertThat(blockingWorkRunsVirtual(context.getBean(EventThread.class))).isFalse());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void springVirtualThreadsShouldBeIgnoredBeforeJava21() {
        // Boot's own switch is a no-op before Java 21, so it must not fail our start-up either.
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EventThread.class));
    }

    private static boolean blockingWorkRunsVirtual(EventThread eventThread) throws Exception {
        // Thread.isVirtual() is Java 21 API; we compile for 17.
        return eventThread.next()
            .runBlocking(() -> (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()))
            .get(10, TimeUnit.SECONDS);
    }

}

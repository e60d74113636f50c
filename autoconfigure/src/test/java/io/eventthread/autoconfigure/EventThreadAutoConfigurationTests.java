package io.eventthread.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventThreadAutoConfiguration}: the group, its lifecycle, back-off and the
 * TaskScheduler view.
 */
@Timeout(30)
class EventThreadAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class,
                EventThreadTaskExecutionAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                TaskSchedulingAutoConfiguration.class));

    @Test
    void eventThreadShouldBeCreatedWithDefaultsAndStarted() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(EventThread.class).hasSingleBean(EventThreadLifecycle.class);
            EventThread eventThread = context.getBean("eventThread", EventThread.class);
            assertThat(eventThread.name()).isEqualTo("eventthread");
            assertThat(eventThread.loops()).hasSize(1);
            assertThat(eventThread.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(eventThread.loops()).allSatisfy((loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING));
            assertThat(context.getBean(EventThreadLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void zeroForceGraceShouldBeAcceptedAsCoreAcceptsIt() {
        this.contextRunner.withPropertyValues("eventthread.force-grace=0s")
            .run((context) -> assertThat(context.getBean(EventThread.class).forceGrace()).isZero());
    }

    @Test
    void propertiesShouldBeAppliedToTheGroup() {
        this.contextRunner
            .withPropertyValues("eventthread.loop-count=3", "eventthread.thread-name-prefix=worker",
                    "eventthread.shutdown-timeout=5s", "eventthread.queue-capacity=64",
                    "eventthread.blocking.max-threads=2")
            .run((context) -> {
                EventThread eventThread = context.getBean(EventThread.class);
                assertThat(eventThread.name()).isEqualTo("worker");
                assertThat(eventThread.loops()).extracting(EventLoop::name)
                    .containsExactly("worker-1", "worker-2", "worker-3");
                assertThat(eventThread.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(eventThread.blockingPool().maxThreads()).isEqualTo(2);
            });
    }

    @Test
    void propertiesShouldBindWithDefaults() {
        this.contextRunner.withPropertyValues("eventthread.blocking.keep-alive=2m", "eventthread.health.max-queue-depth=7")
            .run((context) -> {
                EventThreadProperties properties = context.getBean(EventThreadProperties.class);
                assertThat(properties.getBlocking().getKeepAlive()).isEqualTo(Duration.ofMinutes(2));
                assertThat(properties.getHealth().getMaxQueueDepth()).isEqualTo(7);
                assertThat(properties.getIdleSpin()).isEqualTo(Duration.ofNanos(10_000));
                assertThat(properties.getQueueCapacity()).isNull();
                assertThat(properties.getBlocking().getVirtualThreads()).isNull();
                assertThat(properties.getBlockingDetection().isEnabled()).isFalse();
                assertThat(properties.getBlockingDetection().getThreshold()).isEqualTo(Duration.ofMillis(10));
            });
    }

    @Test
    void blockingDetectionPropertiesShouldCountABlockingCallOnALoop() {
        this.contextRunner
            .withPropertyValues("eventthread.blocking-detection.enabled=true",
                    "eventthread.blocking-detection.threshold=20ms")
            .run((context) -> {
                EventLoop loop = context.getBean(EventThread.class).next();
                loop.submit(() -> {
                    Thread.sleep(60);
                    return null;
                }).get(10, TimeUnit.SECONDS);
                // the JDK's events reach the detector in batches, about once a second
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (loop.stats().blockingCalls() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(loop.stats().blockingCalls()).isEqualTo(1);
            });
    }

    @Test
    void eventThreadWhenUserDefinesOneNamedEventThreadShouldBackOff() {
        this.contextRunner
            .withBean("eventThread", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context).hasSingleBean(EventThread.class);
                assertThat(context.getBean("eventThread", EventThread.class).name()).isEqualTo("mine");
                assertThat(context.getBean(EventThread.class).loops().get(0).state()).isEqualTo(LoopState.RUNNING);
            });
    }

    @Test
    void userGroupShouldBeStartedBesideTheAutoConfiguredOneAndWinInjectionByType() {
        this.contextRunner
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context).hasBean("eventThread").hasBean("myLoops").hasSingleBean(EventThreadLifecycle.class);
                assertThat(context.getBean(EventThreadGroups.class).all()).containsOnlyKeys("eventThread", "myLoops")
                    .allSatisfy((name, group) -> assertThat(group.loops().get(0).state()).isEqualTo(LoopState.RUNNING));
                // the auto-configured group is a fallback: a bean of your own wins injection by type
                assertThat(context.getBean(EventThread.class).name()).isEqualTo("mine");
            });
    }

    @Test
    void eventThreadWhenDisabledShouldBackOffButNamedGroupsAndUserGroupsAreStillManaged() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false", "eventthread.groups.io.loop-count=2")
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context).doesNotHaveBean("eventThread").doesNotHaveBean("eventThreadTaskScheduler");
                assertThat(context.getBean(EventThreadGroups.class).all()).containsOnlyKeys("io", "myLoops")
                    .allSatisfy((name, group) -> assertThat(group.loops()).allSatisfy(
                            (loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING)));
            });
    }

    @Test
    void eventThreadWhenDisabledAndNoGroupsShouldCreateNoGroup() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EventThread.class)
                .doesNotHaveBean("eventThreadTaskScheduler"));
    }

    @Test
    void namedGroupsShouldInheritTopLevelValuesTheyDoNotSet() {
        this.contextRunner
            .withPropertyValues("eventthread.loop-count=3", "eventthread.shutdown-timeout=4s",
                    "eventthread.thread-name-prefix=main", "eventthread.blocking.max-threads=3",
                    "eventthread.groups.io.loop-count=2", "eventthread.groups.io.blocking.max-threads=5",
                    "eventthread.groups.batch.thread-name-prefix=jobs")
            .run((context) -> {
                EventThread io = context.getBean("io", EventThread.class);
                assertThat(io.loops()).extracting(EventLoop::name).containsExactly("io-1", "io-2");
                assertThat(io.shutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
                assertThat(io.blockingPool().maxThreads()).isEqualTo(5);
                EventThread batch = context.getBean("batch", EventThread.class);
                assertThat(batch.loops()).extracting(EventLoop::name).containsExactly("jobs-1", "jobs-2", "jobs-3");
                assertThat(batch.blockingPool().maxThreads()).isEqualTo(3);
                assertThat(io.loops().get(0).state()).isEqualTo(LoopState.RUNNING);
                assertThat(batch.loops().get(0).state()).isEqualTo(LoopState.RUNNING);
            });
    }

    @Test
    void namedGroupsShouldNotBeDefaultCandidatesButInjectableByName() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=1")
            .withUserConfiguration(QualifiedInjectionConfiguration.class)
            .run((context) -> {
                assertThat(context.getBean(EventThread.class)).isSameAs(context.getBean("eventThread"));
                QualifiedInjectionConfiguration.Holder holder = context.getBean(QualifiedInjectionConfiguration.Holder.class);
                assertThat(holder.io()).isSameAs(context.getBean("io"));
                assertThat(holder.main()).isSameAs(context.getBean("eventThread"));
            });
    }

    @Test
    void namedGroupWhenTheUserDefinesAGroupOfThatNameShouldBackOff() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=3")
            .withBean("io", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> assertThat(context.getBean("io", EventThread.class).name()).isEqualTo("mine"));
    }

    @Test
    void namedGroupWhoseNameAnotherBeanHasShouldFailStartUp() {
        this.contextRunner.withPropertyValues("eventthread.groups.clock.loop-count=1")
            .withBean("clock", String.class, () -> "not a group")
            .run((context) -> assertThat(context).getFailure()
                .isInstanceOf(InvalidEventThreadPropertyException.class)
                .hasMessageContaining("'eventthread.groups.clock'")
                .hasMessageContaining("bean 'clock' is a java.lang.String"));
    }

    @Test
    void builderWhenUserDefinesOneShouldBackOffAndBuildEveryGroup() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=2")
            .withBean(EventThreadBuilder.class,
                    () -> new EventThreadBuilder().customizers((builder) -> builder.blockingMaxThreads(3)))
            .run((context) -> {
                assertThat(context).hasSingleBean(EventThreadBuilder.class);
                assertThat(context.getBean("eventThread", EventThread.class).blockingPool().maxThreads()).isEqualTo(3);
                EventThread io = context.getBean("io", EventThread.class);
                assertThat(io.blockingPool().maxThreads()).isEqualTo(3);
                assertThat(io.loops()).hasSize(2);
            });
    }

    @Test
    void lifecycleWhenUserDefinesOneNamedEventThreadLifecycleShouldBackOff() {
        EventThread mine = EventThread.builder().threadNamePrefix("mine").build();
        this.contextRunner.withBean("eventThreadLifecycle", EventThreadLifecycle.class, () -> new EventThreadLifecycle(mine))
            .run((context) -> {
                assertThat(context).hasSingleBean(EventThreadLifecycle.class);
                assertThat(mine.loops().get(0).state()).isEqualTo(LoopState.RUNNING);
            });
    }

    @Test
    void namedGroupWithAnInvalidValueShouldNameTheGroupsProperty() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=0").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidEventThreadPropertyException.class)
                .hasMessageContaining("'eventthread.groups.io.loop-count' is 0");
        });
    }

    @Test
    void builderBeanShouldPresetUserGroupsFromPropertiesAndCustomizers() {
        this.contextRunner.withPropertyValues("eventthread.loop-count=2", "eventthread.shutdown-timeout=3s")
            .withBean(EventThreadCustomizer.class, () -> (builder) -> builder.blockingMaxThreads(7))
            .withUserConfiguration(BuilderUserConfiguration.class)
            .run((context) -> {
                EventThread mine = context.getBean("fromBuilder", EventThread.class);
                assertThat(mine.loops()).extracting(EventLoop::name).containsExactly("custom-1", "custom-2");
                assertThat(mine.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(mine.blockingPool().maxThreads()).isEqualTo(7);
                assertThat(mine.loops().get(0).state()).isEqualTo(LoopState.RUNNING);
            });
    }

    @Test
    void taskDecoratorBeansShouldApplyInOrder() {
        this.contextRunner.withUserConfiguration(TaskDecoratorConfiguration.class).run((context) -> {
            java.util.List<String> trace = new java.util.concurrent.CopyOnWriteArrayList<>();
            TaskDecoratorConfiguration.TRACE.set(trace);
            try {
                EventThread eventThread = context.getBean(EventThread.class);
                eventThread.next().submit(() -> trace.add("task")).get(10, TimeUnit.SECONDS);
            }
            finally {
                TaskDecoratorConfiguration.TRACE.remove();
            }
            // Boot's CompositeTaskDecorator: the later decorator wraps the earlier one
            assertThat(trace).containsExactly("second", "first", "task");
        });
    }

    @Test
    void customizersShouldBeAppliedInOrderAfterProperties() {
        this.contextRunner.withPropertyValues("eventthread.thread-name-prefix=from-properties")
            .withUserConfiguration(CustomizerConfiguration.class)
            .run((context) -> assertThat(context.getBean(EventThread.class).name()).isEqualTo("second"));
    }

    @Test
    void listenerBeansShouldBeRegistered() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        this.contextRunner.withPropertyValues("eventthread.slow-callback-threshold=1ms")
            .withBean(EventLoopListener.class, () -> new EventLoopListener() {
                @Override
                public void slowCallback(EventLoop loop, String task, Duration duration) {
                    if (task.equals("nap")) {
                        slow.complete(task);
                    }
                }
            })
            .run((context) -> {
                EventThread eventThread = context.getBean(EventThread.class);
                // A slow callback is named when it is alone in its timing window; on a busy machine
                // the window may hold the engine's own callbacks too, so nap until one is named.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!slow.isDone() && System.nanoTime() - deadline < 0) {
                    eventThread.next().execute(EventLoop.labeled("nap", () -> sleepQuietly(20)));
                    try {
                        slow.get(200, TimeUnit.MILLISECONDS);
                    }
                    catch (TimeoutException notYet) {
                        // nap again
                    }
                }
                assertThat(slow.get(1, TimeUnit.SECONDS)).isEqualTo("nap");
            });
    }

    @Test
    void closingTheContextShouldShutDownTheLoops() {
        EventThread[] holder = new EventThread[1];
        this.contextRunner.run((context) -> holder[0] = context.getBean(EventThread.class));
        assertThat(holder[0].isTerminated()).isTrue();
    }

    @Test
    void closingTheContextShouldLetQueuedWorkFinish() {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        this.contextRunner.run((context) -> {
            EventThread eventThread = context.getBean(EventThread.class);
            eventThread.next().callLater(java.time.Duration.ofMillis(50), () -> ran.complete(true));
            eventThread.next().execute(() -> sleepQuietly(100));
            eventThread.next().execute(() -> ran.complete(false));
        });
        // The queued task ran during the drain; the timer not yet due was cancelled (CANCEL policy).
        assertThat(ran).isCompletedWithValue(false);
    }

    @Test
    void taskSchedulerShouldRunTasksOnALoop() {
        this.contextRunner.run((context) -> {
            TaskScheduler scheduler = context.getBean("eventThreadTaskScheduler", TaskScheduler.class);
            CompletableFuture<String> thread = new CompletableFuture<>();
            scheduler.schedule(() -> thread.complete(Thread.currentThread().getName()), Instant.now());
            assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("eventthread-1");
        });
    }

    @Test
    void bootDefaultExecutorAndSchedulerShouldNotBackOffForTheGroup() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
            assertThat(context).hasBean("applicationTaskExecutor").hasBean("taskScheduler");
            // Ours is not a default candidate, so "the" TaskScheduler by type is still Boot's.
            assertThat(context.getBeanProvider(TaskScheduler.class).getIfUnique()).isSameAs(context.getBean("taskScheduler"));
        });
    }

    @Test
    void bootExecutorAndSchedulerShouldBeKeptBesideAUserGroup() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class)
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context).hasBean("applicationTaskExecutor").hasBean("taskScheduler");
                assertThat(context.getBean("applicationTaskExecutor"))
                    .isInstanceOf(org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.class);
                assertThat(context.getBeanProvider(TaskScheduler.class).getIfUnique()).isSameAs(context.getBean("taskScheduler"));
                assertThat(context.getBean(org.springframework.scheduling.annotation.AsyncConfigurer.class).getAsyncExecutor())
                    .isSameAs(context.getBean("applicationTaskExecutor"));
                assertThat(context.getBean(BootExecutorsCheck.class).warning()).isNull();
            });
    }

    @Test
    void bootExecutorsShouldNotBeReplacedWhenAnotherExecutorMadeThemBackOff() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class)
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .withBean("myPool", java.util.concurrent.ScheduledExecutorService.class,
                    () -> java.util.concurrent.Executors.newSingleThreadScheduledExecutor(), (definition) -> definition.setDestroyMethodName("shutdownNow"))
            .run((context) -> {
                assertThat(context).doesNotHaveBean("applicationTaskExecutor").doesNotHaveBean("taskScheduler");
                assertThat(context.getBean(BootExecutorsCheck.class).warning()).as("not ours to warn about").isNull();
            });
    }

    @Test
    void bootExecutorsShouldBeCreatedByBootItselfWhenForced() {
        this.contextRunner.withPropertyValues("spring.task.execution.mode=force")
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> assertThat(context).hasNotFailed().hasBean("applicationTaskExecutor"));
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledForJreRange(min = org.junit.jupiter.api.condition.JRE.JAVA_21)
    void bootExecutorsKeptBesideAUserGroupShouldFollowVirtualThreads() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class)
            .withPropertyValues("spring.threads.virtual.enabled=true")
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context.getBean("applicationTaskExecutor"))
                    .isInstanceOf(org.springframework.core.task.SimpleAsyncTaskExecutor.class);
                assertThat(context.getBean("taskScheduler"))
                    .isInstanceOf(org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler.class);
            });
    }

    @Test
    void stopShouldRunTheCallbackOnceTheGroupHasTerminated() {
        this.contextRunner.run((context) -> {
            EventThreadLifecycle lifecycle = context.getBean(EventThreadLifecycle.class);
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            lifecycle.stop(() -> stopped.complete(null));
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(context.getBean(EventThread.class).isTerminated()).isTrue();
            // The destroy method runs later on close; the idempotent shutdown makes it a no-op.
            context.getSourceApplicationContext().close();
        });
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @org.springframework.context.annotation.Bean
        @Order(2)
        EventThreadCustomizer second() {
            return (builder) -> builder.threadNamePrefix("second");
        }

        @org.springframework.context.annotation.Bean
        @Order(1)
        EventThreadCustomizer first() {
            return (builder) -> builder.threadNamePrefix("first");
        }

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulingConfiguration {

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class QualifiedInjectionConfiguration {

        record Holder(EventThread io, EventThread main) {
        }

        @org.springframework.context.annotation.Bean
        Holder holder(@org.springframework.beans.factory.annotation.Qualifier("io") EventThread io, EventThread main) {
            return new Holder(io, main);
        }

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class BuilderUserConfiguration {

        @org.springframework.context.annotation.Bean
        EventThread fromBuilder(EventThreadBuilder eventThreadBuilder) {
            return eventThreadBuilder.additionalCustomizers((builder) -> builder.threadNamePrefix("custom")).build();
        }

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class TaskDecoratorConfiguration {

        static final ThreadLocal<java.util.List<String>> TRACE = new ThreadLocal<>();

        @org.springframework.context.annotation.Bean
        @Order(1)
        org.springframework.core.task.TaskDecorator first() {
            return tracing("first");
        }

        @org.springframework.context.annotation.Bean
        @Order(2)
        org.springframework.core.task.TaskDecorator second() {
            return tracing("second");
        }

        private static org.springframework.core.task.TaskDecorator tracing(String name) {
            return (task) -> {
                java.util.List<String> trace = TRACE.get();
                return () -> {
                    if (trace != null) {
                        trace.add(name);
                    }
                    task.run();
                };
            };
        }

    }

}

package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import io.eventthread.EventThread;

import org.springframework.core.task.TaskDecorator;

/**
 * Builds {@link EventThread} groups with the settings of the application, as Spring Boot's
 * {@code ThreadPoolTaskExecutorBuilder} does for executors. The auto-configured
 * {@code eventThreadBuilder} bean is preset from the {@code eventthread.*} properties, the task
 * decorators (context propagation and every {@code TaskDecorator} bean), every
 * {@code EventLoopListener} bean and every {@link EventThreadCustomizer} bean in order; inject it
 * to build a group of your own with the same settings:
 *
 * <pre>{@code
 * @Bean
 * EventThread ioLoops(EventThreadBuilder eventThreadBuilder) {
 *     return eventThreadBuilder.additionalCustomizers((builder) -> builder.threadNamePrefix("io").loopCount(2)).build();
 * }
 * }</pre>
 *
 * Instances are immutable: every method returns a new builder. A group that is a bean is started
 * and stopped by the auto-configuration, like every other {@code EventThread} bean.
 */
public final class EventThreadBuilder {

    /** The group's settings (the properties), applied before the customizers; may be null. */
    private final EventThreadCustomizer settings;

    private final List<EventThreadCustomizer> customizers;

    /** The task decorator the auto-configuration applies through a customizer; may be null. */
    private final TaskDecorator taskDecorator;

    /** A builder with the core defaults and no customizers. */
    public EventThreadBuilder() {
        this(null, Collections.emptyList(), null);
    }

    private EventThreadBuilder(EventThreadCustomizer settings, List<EventThreadCustomizer> customizers,
            TaskDecorator taskDecorator) {
        this.settings = settings;
        this.customizers = customizers;
        this.taskDecorator = taskDecorator;
    }

    /**
     * A builder that applies only the given customizers, in order, replacing any applied so far;
     * the settings from the properties still apply first.
     * @param customizers the customizers
     * @return a new builder
     */
    public EventThreadBuilder customizers(EventThreadCustomizer... customizers) {
        return customizers(Arrays.asList(customizers));
    }

    /**
     * A builder that applies only the given customizers, in order, replacing any applied so far.
     * @param customizers the customizers
     * @return a new builder
     */
    public EventThreadBuilder customizers(Iterable<? extends EventThreadCustomizer> customizers) {
        Objects.requireNonNull(customizers, "customizers");
        List<EventThreadCustomizer> list = new ArrayList<>();
        customizers.forEach(list::add);
        return new EventThreadBuilder(this.settings, List.copyOf(list), null);
    }

    /**
     * A builder that applies the given customizers after those applied so far.
     * @param customizers the customizers
     * @return a new builder
     */
    public EventThreadBuilder additionalCustomizers(EventThreadCustomizer... customizers) {
        return additionalCustomizers(Arrays.asList(customizers));
    }

    /**
     * A builder that applies the given customizers after those applied so far.
     * @param customizers the customizers
     * @return a new builder
     */
    public EventThreadBuilder additionalCustomizers(Iterable<? extends EventThreadCustomizer> customizers) {
        Objects.requireNonNull(customizers, "customizers");
        List<EventThreadCustomizer> list = new ArrayList<>(this.customizers);
        customizers.forEach(list::add);
        return new EventThreadBuilder(this.settings, List.copyOf(list), this.taskDecorator);
    }

    /** The same customizers over other settings: those of a named group. */
    EventThreadBuilder withSettings(EventThreadCustomizer settings) {
        return new EventThreadBuilder(settings, this.customizers, this.taskDecorator);
    }

    /** Remembers the task decorator a customizer applies, for the groups' executors. */
    EventThreadBuilder withTaskDecorator(TaskDecorator taskDecorator) {
        return new EventThreadBuilder(this.settings, this.customizers, taskDecorator);
    }

    TaskDecorator taskDecorator() {
        return this.taskDecorator;
    }

    /**
     * A core builder with every customizer applied, to adjust further before
     * {@link EventThread.Builder#build()}.
     * @return a new core builder
     */
    public EventThread.Builder configure() {
        EventThread.Builder builder = EventThread.builder();
        if (this.settings != null) {
            this.settings.customize(builder);
        }
        for (EventThreadCustomizer customizer : this.customizers) {
            customizer.customize(builder);
        }
        return builder;
    }

    /**
     * Builds a group, not yet started.
     * @return a new group
     */
    public EventThread build() {
        return configure().build();
    }

}

package io.eventthread.autoconfigure;

import io.eventthread.EventThread;

/**
 * Customizes the core builder of every group the {@link EventThreadBuilder} bean builds — the
 * auto-configured {@code eventThread}, the named groups of {@code eventthread.groups.*} and groups
 * of your own built with it — after the group's properties have been applied. Customizer beans
 * run in {@link org.springframework.core.Ordered order}; a later one wins.
 */
@FunctionalInterface
public interface EventThreadCustomizer {

    /**
     * Customizes the builder, for example to add a listener or a thread factory.
     * @param builder the builder to customize
     */
    void customize(EventThread.Builder builder);

}

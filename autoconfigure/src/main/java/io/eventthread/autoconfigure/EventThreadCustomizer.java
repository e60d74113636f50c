package io.eventthread.autoconfigure;

import io.eventthread.EventThread;

/**
 * Customizes the builder of the auto-configured {@link EventThread} after the
 * {@code eventthread.*} properties have been applied. Customizer beans run in
 * {@link org.springframework.core.Ordered order}; a later one wins.
 */
@FunctionalInterface
public interface EventThreadCustomizer {

    /**
     * Customizes the builder, for example to add a listener or a thread factory.
     * @param builder the builder to customize
     */
    void customize(EventThread.Builder builder);

}

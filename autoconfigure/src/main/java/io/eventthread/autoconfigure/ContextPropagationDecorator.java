package io.eventthread.autoconfigure;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * The context-propagating decorator of the groups. Holds the only references to
 * context-propagation types, so it is loaded only when they are present.
 *
 * <p>The global {@code ContextRegistry} knows MDC only if someone registered
 * {@code Slf4jThreadLocalAccessor}, which nobody does by default; so the groups capture with a
 * registry of their own: every accessor registered globally at start-up, plus MDC when SLF4J is
 * present. The global registry is left as it is.
 */
final class ContextPropagationDecorator {

    private static final String MDC = "org.slf4j.MDC";

    private ContextPropagationDecorator() {
    }

    static TaskDecorator create(ClassLoader classLoader) {
        ContextRegistry registry = new ContextRegistry();
        for (ThreadLocalAccessor<?> accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
            registry.registerThreadLocalAccessor(accessor);
        }
        boolean mdcKnown = registry.getThreadLocalAccessors()
            .stream()
            .anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
        if (!mdcKnown && ClassUtils.isPresent(MDC, classLoader)) {
            registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        }
        ContextSnapshotFactory factory = ContextSnapshotFactory.builder().contextRegistry(registry).build();
        return new ContextPropagatingTaskDecorator(factory);
    }

}

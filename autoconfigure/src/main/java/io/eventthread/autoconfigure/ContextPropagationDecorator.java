package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The context-propagating decorator of the groups. Holds the only references to
 * context-propagation types, so it is loaded only when they are present.
 *
 * <p>Each application context's groups capture with a registry of their own: the accessors its
 * class loader declares as services, plus MDC when SLF4J is present (nobody registers
 * {@code Slf4jThreadLocalAccessor} by default), read together with whatever is registered in the
 * global {@code ContextRegistry} at the time of each capture. Nothing is copied from the global
 * registry, and nothing touches it before the first task is decorated: the global instance loads
 * its services once, with the class loader of whoever touches it first, and a context that
 * touched it merely by starting would pin it for every later context.
 */
final class ContextPropagationDecorator implements TaskDecorator {

    private static final String MDC = "org.slf4j.MDC";

    private final SingletonSupplier<TaskDecorator> delegate;

    private ContextPropagationDecorator(ClassLoader classLoader) {
        this.delegate = SingletonSupplier.of(() -> new ContextPropagatingTaskDecorator(
                ContextSnapshotFactory.builder().contextRegistry(registry(classLoader)).build()));
    }

    static TaskDecorator create(ClassLoader classLoader) {
        return new ContextPropagationDecorator(classLoader);
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        return this.delegate.obtain().decorate(runnable);
    }

    private static ContextRegistry registry(ClassLoader classLoader) {
        ContextRegistry own = new ContextRegistry();
        ServiceLoader.load(ThreadLocalAccessor.class, classLoader).forEach(own::registerThreadLocalAccessor);
        boolean mdcKnown = own.getThreadLocalAccessors()
            .stream()
            .anyMatch((accessor) -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
        if (!mdcKnown && ClassUtils.isPresent(MDC, classLoader)) {
            own.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        }
        return new WithGlobal(own.getThreadLocalAccessors());
    }

    /** The context's own accessors and, as they are at each capture, the global registry's. */
    private static final class WithGlobal extends ContextRegistry {

        private final List<ThreadLocalAccessor<?>> own;

        WithGlobal(List<ThreadLocalAccessor<?>> own) {
            this.own = List.copyOf(own);
            this.own.forEach(this::registerThreadLocalAccessor);
        }

        @Override
        public List<ThreadLocalAccessor<?>> getThreadLocalAccessors() {
            List<ThreadLocalAccessor<?>> global = ContextRegistry.getInstance().getThreadLocalAccessors();
            if (global.isEmpty()) {
                return this.own;
            }
            List<ThreadLocalAccessor<?>> all = new ArrayList<>(global);
            Set<Object> keys = new HashSet<>();
            global.forEach((accessor) -> keys.add(accessor.key()));
            for (ThreadLocalAccessor<?> accessor : this.own) {
                if (!keys.contains(accessor.key())) {
                    all.add(accessor);
                }
            }
            return all;
        }

    }

}

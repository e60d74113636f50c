package io.eventthread.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Micrometer context flows from the submitting thread to the loop (direct submissions and
 * the TaskScheduler view) and on to the blocking pool when io.micrometer:context-propagation is
 * present.
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
        this.contextRunner.run((context) -> assertThat(valueSeenOnLoop(
                new EventThreadTaskScheduler(context.getBean(io.eventthread.EventThread.class))))
            .isEqualTo("from-caller"));
    }

    @Test
    void contextShouldNotBePropagatedWhenDisabled() {
        this.contextRunner.withPropertyValues("eventthread.context-propagation=false")
            .run((context) -> assertThat(
                    valueSeenOnLoop(new EventThreadTaskScheduler(context.getBean(io.eventthread.EventThread.class))))
                .isEqualTo("none"));
    }

    @Test
    void contextShouldFlowIntoDirectSubmissionsAndOnIntoTheBlockingPool() {
        this.contextRunner.run((context) -> {
            io.eventthread.EventThread eventThread = context.getBean(io.eventthread.EventThread.class);
            CURRENT.set("from-caller");
            CompletableFuture<String> onLoop;
            CompletableFuture<String> onPool;
            try {
                onLoop = eventThread.next().submit(CURRENT::get);
                onPool = eventThread.next().submitAsync(() -> eventThread.next().runBlocking(CURRENT::get));
            }
            finally {
                CURRENT.remove();
            }
            assertThat(onLoop.get(10, TimeUnit.SECONDS)).isEqualTo("from-caller");
            assertThat(onPool.get(10, TimeUnit.SECONDS)).isEqualTo("from-caller");
        });
    }

    @Test
    void taskHeldByAPauseShouldRunInItsSubmittersContextNotTheResumers() {
        this.contextRunner.run((context) -> {
            EventThreadExecutor executor = context.getBean("eventThreadExecutor", EventThreadExecutor.class);
            executor.stop();
            CURRENT.set("from-caller");
            java.util.concurrent.Future<String> held;
            try {
                held = executor.submit(() -> String.valueOf(CURRENT.get()));
            }
            finally {
                CURRENT.remove();
            }
            // resumed from a thread with a context of its own
            CompletableFuture.runAsync(() -> {
                CURRENT.set("from-resumer");
                try {
                    executor.start();
                }
                finally {
                    CURRENT.remove();
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("from-caller");
        });
    }

    @Test
    void eachContextsAccessorsShouldReachItsGroupsWhicheverContextCameFirst() throws Exception {
        // the first context builds a group with the class loader every test has
        this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
        // a later context's class loader declares an accessor of its own, as a launcher's may
        ClassLoader withAccessor = new ServiceDeclaringClassLoader(getClass().getClassLoader(),
                "META-INF/services/" + ThreadLocalAccessor.class.getName(), ServiceAccessor.class.getName());
        this.contextRunner.withClassLoader(withAccessor).run((context) -> {
            io.eventthread.EventThread eventThread = context.getBean(io.eventthread.EventThread.class);
            ServiceAccessor.VALUE.set("from-service-caller");
            CompletableFuture<String> seen;
            try {
                seen = eventThread.next().submit(() -> String.valueOf(ServiceAccessor.VALUE.get()));
            }
            finally {
                ServiceAccessor.VALUE.remove();
            }
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("from-service-caller");
        });
    }

    /** An accessor declared only as a service of one context's class loader. */
    public static final class ServiceAccessor implements ThreadLocalAccessor<String> {

        static final ThreadLocal<String> VALUE = new ThreadLocal<>();

        @Override
        public Object key() {
            return "eventthread.test.service";
        }

        @Override
        public String getValue() {
            return VALUE.get();
        }

        @Override
        public void setValue(String value) {
            VALUE.set(value);
        }

        @Override
        public void setValue() {
            VALUE.remove();
        }

    }

    /** Adds one service declaration to what its parent offers. */
    static final class ServiceDeclaringClassLoader extends ClassLoader {

        private final String resource;

        private final Path declaration;

        ServiceDeclaringClassLoader(ClassLoader parent, String resource, String implementation) throws IOException {
            super(parent);
            this.resource = resource;
            this.declaration = Files.createTempFile("eventthread-service", ".txt");
            this.declaration.toFile().deleteOnExit();
            Files.writeString(this.declaration, implementation + System.lineSeparator());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = new ArrayList<>(Collections.list(super.getResources(name)));
            if (name.equals(this.resource)) {
                urls.add(this.declaration.toUri().toURL());
            }
            return Collections.enumeration(urls);
        }

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

package io.eventthread.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Starts the loops of every {@link EventThread} group with the application context, follows
 * Spring's stop and start in between, and shuts the groups down gracefully when the context
 * closes: all groups in parallel and each within its own shutdown timeout, asynchronously, after
 * the web server has stopped, since requests in flight may still be handing work to the loops
 * until then.
 *
 * <p>A {@code stop()} outside a close (Spring's stop or pause, also run around a JVM checkpoint)
 * leaves the loops running: what pauses is the work Spring hands them, in each group's
 * {@link EventThreadExecutor}, a life-cycle bean of its own. Only a closing context's stop shuts
 * the groups down.
 */
public class EventThreadLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>,
        ApplicationContextAware {

    /**
     * The phase in which the loops start and stop: below the web server's
     * ({@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}, {@code MAX_VALUE - 2048}), so
     * the loops stop after it, and above Spring's own task executors ({@code MAX_VALUE / 2}).
     * Spelled out to keep the web server module off our class path.
     */
    public static final int START_STOP_LIFECYCLE_PHASE = Integer.MAX_VALUE - 2048 - 1024;

    private static final Log logger = LogFactory.getLog(EventThreadLifecycle.class);

    private final Supplier<Map<String, EventThread>> groups;

    private ApplicationContext applicationContext;

    /** Whether our context is closing: its stop is the shutdown; set once. */
    private volatile boolean closing;

    /** {@code spring.lifecycle.timeout-per-shutdown-phase}, or {@code null} when unknown. */
    private final Duration shutdownPhaseTimeout;

    private volatile Map<String, EventThread> started = Map.of();

    private volatile boolean running;

    /**
     * Creates a lifecycle for one group.
     * @param eventThread the group to start and stop
     */
    public EventThreadLifecycle(EventThread eventThread) {
        this(() -> Map.of(eventThread.name(), eventThread));
    }

    /**
     * Creates a lifecycle for every group of the application.
     * @param groups the groups
     */
    public EventThreadLifecycle(EventThreadGroups groups) {
        this(groups, null);
    }

    /**
     * Creates a lifecycle for every group of the application that warns at start about a group
     * whose shutdown may outlast Spring's wait for the shutdown phase.
     * @param groups the groups
     * @param shutdownPhaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}
     */
    public EventThreadLifecycle(EventThreadGroups groups, Duration shutdownPhaseTimeout) {
        this(groups::all, shutdownPhaseTimeout);
    }

    EventThreadLifecycle(Supplier<Map<String, EventThread>> groups) {
        this(groups, null);
    }

    EventThreadLifecycle(Supplier<Map<String, EventThread>> groups, Duration shutdownPhaseTimeout) {
        this.groups = groups;
        this.shutdownPhaseTimeout = shutdownPhaseTimeout;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    /**
     * Marks the start of our context's close, as Spring's executors do: the stop that follows is
     * the shutdown. (A context stopped before it closes calls no stop: its groups drain in their
     * destroy method, {@code close()}, once their executors are gone.)
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == this.applicationContext) {
            this.closing = true;
        }
    }

    @Override
    public void start() {
        if (!this.started.isEmpty()) {
            // a start after a stop: the loops ran on
            this.running = true;
            return;
        }
        Map<String, EventThread> all = new LinkedHashMap<>(this.groups.get());
        all.values().forEach(EventThread::start);
        this.started = all;
        warnAboutShutdownsLongerThanThePhase(all);
        this.running = true;
        if (logger.isDebugEnabled()) {
            logger.debug("Started EventThread groups " + all.keySet());
        }
    }

    // Groups from properties fail start-up instead (see EventThreadPropertiesValidator); groups of
    // the application's own were configured in code, where only a warning can reach the author.
    private void warnAboutShutdownsLongerThanThePhase(Map<String, EventThread> all) {
        if (this.shutdownPhaseTimeout == null) {
            return;
        }
        all.forEach((name, group) -> {
            Duration longest = group.shutdownTimeout().plus(group.forceGrace());
            if (longest.compareTo(this.shutdownPhaseTimeout) > 0) {
                logger.warn("EventThread '" + name + "' may take " + longest.toMillis()
                        + " ms to shut down (shutdown timeout " + group.shutdownTimeout().toMillis()
                        + " ms + force grace " + group.forceGrace().toMillis()
                        + " ms), longer than spring.lifecycle.timeout-per-shutdown-phase ("
                        + this.shutdownPhaseTimeout.toMillis()
                        + " ms): Spring would stop waiting first. Lower its shutdown timeout or raise the phase timeout.");
            }
        });
    }

    @Override
    public void stop() {
        if (!this.closing) {
            this.running = false;
            return;
        }
        // Direct callers expect a shutdown to block, as ExecutorConfigurationSupport's does.
        CompletableFuture<Void> done = beginShutdown();
        Duration longest = Duration.ZERO;
        for (EventThread group : this.started.values()) {
            Duration bound = group.shutdownTimeout().plus(group.forceGrace());
            longest = (bound.compareTo(longest) > 0) ? bound : longest;
        }
        try {
            done.get(longest.toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("EventThread groups " + this.started.keySet() + " did not report their shutdown", ex);
        }
    }

    @Override
    public void stop(Runnable callback) {
        if (!this.closing) {
            this.running = false;
            callback.run();
            return;
        }
        // Spring waits for the callback up to spring.lifecycle.timeout-per-shutdown-phase, so other
        // beans of this phase stop in parallel with our drain.
        beginShutdown().whenComplete((ignored, ex) -> callback.run());
    }

    private CompletableFuture<Void> beginShutdown() {
        this.running = false;
        List<CompletableFuture<?>> shutdowns = new ArrayList<>();
        this.started.forEach((name, group) -> shutdowns.add(shutdown(name, group)));
        return CompletableFuture.allOf(shutdowns.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<ShutdownReport> shutdown(String name, EventThread group) {
        // Idempotent in core: a later destroy (close()) gets the same result without a second drain.
        return group.shutdownGracefully(group.shutdownTimeout()).whenComplete((report, ex) -> {
            if (ex != null) {
                logger.warn("EventThread '" + name + "' shutdown failed", ex);
            }
            else {
                log(name, group, report);
            }
        });
    }

    private void log(String name, EventThread group, ShutdownReport report) {
        if (report.isGraceful()) {
            if (logger.isInfoEnabled()) {
                logger.info("EventThread '" + name + "' shut down gracefully in " + report.duration().toMillis()
                        + " ms; " + report.tasksRunDuringDrain() + " tasks ran during the drain");
            }
            logUnobserved(name, report.unobservedFailures());
            return;
        }
        if (logger.isWarnEnabled()) {
            StringBuilder message = new StringBuilder("EventThread '").append(name).append("' shutdown ended ")
                .append(report.outcome())
                .append(" after ")
                .append(report.duration().toMillis())
                .append(" ms, limit ")
                .append(group.shutdownTimeout().toMillis())
                .append(" ms: ")
                .append(report.tasksCancelled())
                .append(" tasks and ")
                .append(report.timersCancelled())
                .append(" timers cancelled");
            for (Map.Entry<String, List<StackTraceElement>> stuck : report.stuckLoops().entrySet()) {
                message.append(System.lineSeparator()).append("Loop '").append(stuck.getKey())
                    .append("' did not return from its callback and was left behind:");
                for (StackTraceElement frame : stuck.getValue()) {
                    message.append(System.lineSeparator()).append("\tat ").append(frame);
                }
            }
            logger.warn(message);
        }
        logUnobserved(name, report.unobservedFailures());
    }

    private void logUnobserved(String name, List<Throwable> failures) {
        for (Throwable failure : failures) {
            logger.warn("EventThread '" + name + "': a task failure was never retrieved", failure);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return START_STOP_LIFECYCLE_PHASE;
    }

}

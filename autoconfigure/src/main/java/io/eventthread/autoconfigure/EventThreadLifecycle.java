package io.eventthread.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the loops of an {@link EventThread} with the application context and shuts them down
 * gracefully, asynchronously, after the web server has stopped: requests in flight may still be
 * handing work to the loops until then.
 */
public class EventThreadLifecycle implements SmartLifecycle {

    /**
     * The phase in which the loops start and stop: below the web server's
     * ({@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE}, {@code MAX_VALUE - 2048}), so
     * the loops stop after it, and above Spring's own task executors ({@code MAX_VALUE / 2}).
     * Spelled out to keep the web server module off our class path.
     */
    public static final int START_STOP_LIFECYCLE_PHASE = Integer.MAX_VALUE - 2048 - 1024;

    private static final Log logger = LogFactory.getLog(EventThreadLifecycle.class);

    private final EventThread eventThread;

    private volatile boolean running;

    /**
     * Creates a lifecycle for a group.
     * @param eventThread the group to start and stop
     */
    public EventThreadLifecycle(EventThread eventThread) {
        this.eventThread = eventThread;
    }

    @Override
    public void start() {
        this.eventThread.start();
        this.running = true;
    }

    @Override
    public void stop() {
        // Direct callers expect stop() to block, as ExecutorConfigurationSupport does.
        CompletableFuture<ShutdownReport> done = beginShutdown();
        try {
            done.get(this.eventThread.shutdownTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("EventThread '" + this.eventThread.name() + "' did not report its shutdown", ex);
        }
    }

    @Override
    public void stop(Runnable callback) {
        // Spring waits for the callback up to spring.lifecycle.timeout-per-shutdown-phase, so other
        // beans of this phase stop in parallel with our drain.
        beginShutdown().whenComplete((report, ex) -> callback.run());
    }

    private CompletableFuture<ShutdownReport> beginShutdown() {
        this.running = false;
        // Idempotent in core: a later destroy (close()) gets the same result without a second drain.
        return this.eventThread.shutdownGracefully(this.eventThread.shutdownTimeout()).whenComplete((report, ex) -> {
            if (ex != null) {
                logger.warn("EventThread '" + this.eventThread.name() + "' shutdown failed", ex);
            }
            else {
                log(report);
            }
        });
    }

    private void log(ShutdownReport report) {
        String name = this.eventThread.name();
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
                .append(this.eventThread.shutdownTimeout().toMillis())
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

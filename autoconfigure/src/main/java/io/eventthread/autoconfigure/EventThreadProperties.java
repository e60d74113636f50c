package io.eventthread.autoconfigure;

import java.time.Duration;

import io.eventthread.TimerShutdownPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the auto-configured {@link io.eventthread.EventThread}. Values are
 * checked by {@link EventThreadPropertiesValidator} before the group is built.
 */
@ConfigurationProperties("eventthread")
public class EventThreadProperties {

    /**
     * Whether to auto-configure an EventThread group.
     */
    private boolean enabled = true;

    /**
     * Number of event loops, each in its own thread, from 1 to 1024.
     */
    private int loopCount = 1;

    /**
     * Prefix of the loop thread names, which also names the group in logs and metrics.
     */
    private String threadNamePrefix = "eventthread";

    /**
     * Time queued and in-flight work has to finish at shutdown; at most
     * 'spring.lifecycle.timeout-per-shutdown-phase'.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * What a graceful shutdown does with plain timers that are not yet due.
     */
    private TimerShutdownPolicy timerShutdownPolicy = TimerShutdownPolicy.CANCEL;

    /**
     * Minimum duration of a callback that is counted and logged as slow.
     */
    private Duration slowCallbackThreshold = Duration.ofMillis(100);

    /**
     * Time inside one callback after which a loop is flagged stuck and its stack logged.
     */
    private Duration stuckThreshold = Duration.ofSeconds(2);

    /**
     * How often the watchdog checks the loops for stuck callbacks and samples their delay.
     */
    private Duration watchdogInterval = Duration.ofMillis(500);

    /**
     * How long an idle loop polls its queue before parking its thread, from 0 to 1s.
     */
    private Duration idleSpin = Duration.ofNanos(10_000);

    /**
     * Maximum number of tasks waiting in each loop's queue. Unbounded when not set.
     */
    private Integer queueCapacity;

    /**
     * Whether to record where each task was submitted and print it with slow-callback warnings.
     */
    private boolean debug;

    /**
     * Whether to propagate Micrometer context (MDC, observations, ...) from the submitting
     * thread to every task of the group, and on into its blocking pool. On by default when
     * io.micrometer:context-propagation is on the classpath.
     */
    private Boolean contextPropagation;

    private final Blocking blocking = new Blocking();

    private final Health health = new Health();

    private final BlockingDetection blockingDetection = new BlockingDetection();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getLoopCount() {
        return this.loopCount;
    }

    public void setLoopCount(int loopCount) {
        this.loopCount = loopCount;
    }

    public String getThreadNamePrefix() {
        return this.threadNamePrefix;
    }

    public void setThreadNamePrefix(String threadNamePrefix) {
        this.threadNamePrefix = threadNamePrefix;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public TimerShutdownPolicy getTimerShutdownPolicy() {
        return this.timerShutdownPolicy;
    }

    public void setTimerShutdownPolicy(TimerShutdownPolicy timerShutdownPolicy) {
        this.timerShutdownPolicy = timerShutdownPolicy;
    }

    public Duration getSlowCallbackThreshold() {
        return this.slowCallbackThreshold;
    }

    public void setSlowCallbackThreshold(Duration slowCallbackThreshold) {
        this.slowCallbackThreshold = slowCallbackThreshold;
    }

    public Duration getStuckThreshold() {
        return this.stuckThreshold;
    }

    public void setStuckThreshold(Duration stuckThreshold) {
        this.stuckThreshold = stuckThreshold;
    }

    public Duration getWatchdogInterval() {
        return this.watchdogInterval;
    }

    public void setWatchdogInterval(Duration watchdogInterval) {
        this.watchdogInterval = watchdogInterval;
    }

    public Duration getIdleSpin() {
        return this.idleSpin;
    }

    public void setIdleSpin(Duration idleSpin) {
        this.idleSpin = idleSpin;
    }

    public Integer getQueueCapacity() {
        return this.queueCapacity;
    }

    public void setQueueCapacity(Integer queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public boolean isDebug() {
        return this.debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public Boolean getContextPropagation() {
        return this.contextPropagation;
    }

    public void setContextPropagation(Boolean contextPropagation) {
        this.contextPropagation = contextPropagation;
    }

    public Blocking getBlocking() {
        return this.blocking;
    }

    public Health getHealth() {
        return this.health;
    }

    public BlockingDetection getBlockingDetection() {
        return this.blockingDetection;
    }

    /**
     * The pool behind {@code EventLoop.runBlocking}.
     */
    public static final class Blocking {

        /**
         * Maximum number of threads of the blocking pool. Defaults to min(32, cores + 4).
         */
        private Integer maxThreads;

        /**
         * Number of blocking tasks that may wait for a thread before further ones are rejected;
         * 0 hands off without waiting.
         */
        private int queueCapacity = 10_000;

        /**
         * How long an idle thread of the blocking pool lives.
         */
        private Duration keepAlive = Duration.ofSeconds(60);

        /**
         * Whether the blocking pool runs each task on a new virtual thread (Java 21+). When not
         * set, follows 'spring.threads.virtual.enabled'.
         */
        private Boolean virtualThreads;

        public Integer getMaxThreads() {
            return this.maxThreads;
        }

        public void setMaxThreads(Integer maxThreads) {
            this.maxThreads = maxThreads;
        }

        public int getQueueCapacity() {
            return this.queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public Duration getKeepAlive() {
            return this.keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
        }

        public Boolean getVirtualThreads() {
            return this.virtualThreads;
        }

        public void setVirtualThreads(Boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }

    }

    /**
     * The "eventThread" health contributor.
     */
    public static final class Health {

        /**
         * Queue depth of a loop above which health reports DOWN. Not checked when not set.
         */
        private Integer maxQueueDepth;

        public Integer getMaxQueueDepth() {
            return this.maxQueueDepth;
        }

        public void setMaxQueueDepth(Integer maxQueueDepth) {
            this.maxQueueDepth = maxQueueDepth;
        }

    }

    /**
     * Reporting of blocking calls made by callbacks on the loop threads, through Flight
     * Recorder event streaming (no agent).
     */
    public static final class BlockingDetection {

        /**
         * Whether to log, count and report to listeners the blocking calls (sleeps, socket and
         * file I/O, contended monitors, parks) made on the loop threads.
         */
        private boolean enabled;

        /**
         * Shortest blocking call reported.
         */
        private Duration threshold = Duration.ofMillis(10);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getThreshold() {
            return this.threshold;
        }

        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

    }

}

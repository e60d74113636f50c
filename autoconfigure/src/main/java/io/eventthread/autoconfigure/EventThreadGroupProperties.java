package io.eventthread.autoconfigure;

import java.time.Duration;

import io.eventthread.TimerShutdownPolicy;

/**
 * The settings of one EventThread group: the top-level {@code eventthread.*} keys, and the same
 * keys under {@code eventthread.groups.<name>.*}, where a group inherits every top-level value it
 * does not set (except the thread name prefix, which defaults to the group's name).
 */
public class EventThreadGroupProperties {

    /**
     * Number of event loops, each in its own thread, from 1 to 1024.
     */
    private int loopCount = 1;

    /**
     * Prefix of the loop thread names ("prefix-1", "prefix-2", ...), also the group's name in
     * logs. Defaults to 'eventthread' at the top level and to the group's name in a named group.
     */
    private String threadNamePrefix;

    /**
     * Time queued and in-flight work has to finish at shutdown before it is cancelled. Together
     * with 'force-grace' it must fit in 'spring.lifecycle.timeout-per-shutdown-phase'.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Time a loop thread still inside a callback at the shutdown deadline has, once interrupted,
     * to return before it is reported FORCED and left behind.
     */
    private Duration forceGrace = Duration.ofMillis(200);

    /**
     * What a graceful shutdown does with plain timers that are not yet due: 'cancel' drops them,
     * 'run-before-deadline' lets those due before the shutdown deadline fire.
     */
    private TimerShutdownPolicy timerShutdownPolicy = TimerShutdownPolicy.CANCEL;

    /**
     * Duration from which a callback is counted in 'eventthread.slow' and logged at WARN. The
     * watchdog samples the running callback every quarter of it.
     */
    private Duration slowCallbackThreshold = Duration.ofMillis(100);

    /**
     * Time inside one callback after which the watchdog flags the loop stuck (health DOWN), logs
     * the loop thread's stack and counts a stuck incident. At least 'slow-callback-threshold'
     * and 'watchdog-interval'.
     */
    private Duration stuckThreshold = Duration.ofSeconds(2);

    /**
     * How often the watchdog thread checks the loops for stuck callbacks and samples their delay.
     */
    private Duration watchdogInterval = Duration.ofMillis(500);

    /**
     * How long an idle loop polls its queue before parking its thread, from 0 to 1s; longer
     * spins trade CPU for latency.
     */
    private Duration idleSpin = Duration.ofNanos(10_000);

    /**
     * Maximum number of tasks waiting in each loop's queue; submissions from outside the loop
     * beyond it are rejected. Unbounded when not set.
     */
    private Integer queueCapacity;

    /**
     * Whether to record where each task was submitted (a stack per submission) and print it with
     * slow-callback warnings.
     */
    private boolean debug;

    private final Blocking blocking = new Blocking();

    private final Health health = new Health();

    private final BlockingDetection blockingDetection = new BlockingDetection();

    /**
     * A copy of these settings, the starting point of a named group.
     * @return a new instance with the same values
     */
    EventThreadGroupProperties copy() {
        EventThreadGroupProperties copy = new EventThreadGroupProperties();
        copy.loopCount = this.loopCount;
        copy.threadNamePrefix = this.threadNamePrefix;
        copy.shutdownTimeout = this.shutdownTimeout;
        copy.forceGrace = this.forceGrace;
        copy.timerShutdownPolicy = this.timerShutdownPolicy;
        copy.slowCallbackThreshold = this.slowCallbackThreshold;
        copy.stuckThreshold = this.stuckThreshold;
        copy.watchdogInterval = this.watchdogInterval;
        copy.idleSpin = this.idleSpin;
        copy.queueCapacity = this.queueCapacity;
        copy.debug = this.debug;
        copy.blocking.maxThreads = this.blocking.maxThreads;
        copy.blocking.queueCapacity = this.blocking.queueCapacity;
        copy.blocking.keepAlive = this.blocking.keepAlive;
        copy.blocking.virtualThreads = this.blocking.virtualThreads;
        copy.health.maxQueueDepth = this.health.maxQueueDepth;
        copy.blockingDetection.enabled = this.blockingDetection.enabled;
        copy.blockingDetection.threshold = this.blockingDetection.threshold;
        copy.blockingDetection.quietPeriod = this.blockingDetection.quietPeriod;
        copy.blockingDetection.quietUntilReady = this.blockingDetection.quietUntilReady;
        return copy;
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

    public Duration getForceGrace() {
        return this.forceGrace;
    }

    public void setForceGrace(Duration forceGrace) {
        this.forceGrace = forceGrace;
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
     * The pool behind {@code EventLoop.runBlocking}, one per group.
     */
    public static final class Blocking {

        /**
         * Maximum number of threads of the blocking pool, platform or virtual. Defaults to
         * min(32, cores + 4).
         */
        private Integer maxThreads;

        /**
         * Number of blocking tasks that may wait for a thread before further ones are rejected;
         * 0 hands off without waiting.
         */
        private int queueCapacity = 10_000;

        /**
         * How long an idle thread of the blocking pool lives before it retires.
         */
        private Duration keepAlive = Duration.ofSeconds(60);

        /**
         * Whether the blocking pool's threads are virtual threads (Java 21+); the pool still runs
         * at most 'max-threads' tasks at a time and queues the rest. Follows
         * 'spring.threads.virtual.enabled' when not set.
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
     * The group's health contributor.
     */
    public static final class Health {

        /**
         * Queue depth of a loop above which the group's health is DOWN. Not checked when not set.
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
     * Reporting of blocking calls made by callbacks on the loop threads, through Flight Recorder
     * event streaming (no agent).
     */
    public static final class BlockingDetection {

        /**
         * Whether to log, count (meter eventthread.blocked) and report to listeners the blocking
         * calls (sleeps, socket and file I/O, contended monitors, parks) that callbacks make on
         * the loop threads. Starting it initialises Flight Recorder, about a second once per JVM.
         */
        private boolean enabled;

        /**
         * Shortest blocking call reported.
         */
        private Duration threshold = Duration.ofMillis(10);

        /**
         * How long after the group starts blocking calls are held: not logged, counted or sent
         * to listeners, and summarised in one INFO line (how many, the first) when it is over.
         * Zero for none.
         */
        private Duration quietPeriod = Duration.ZERO;

        /**
         * Whether blocking calls are also held until the application is ready
         * (ApplicationReadyEvent); with a quiet period too, both must be over.
         */
        private boolean quietUntilReady;

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

        public Duration getQuietPeriod() {
            return this.quietPeriod;
        }

        public void setQuietPeriod(Duration quietPeriod) {
            this.quietPeriod = quietPeriod;
        }

        public boolean isQuietUntilReady() {
            return this.quietUntilReady;
        }

        public void setQuietUntilReady(boolean quietUntilReady) {
            this.quietUntilReady = quietUntilReady;
        }

    }

}

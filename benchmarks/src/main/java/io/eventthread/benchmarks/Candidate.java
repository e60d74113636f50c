package io.eventthread.benchmarks;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopHandle;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutorGroup;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * One single-threaded executor under test, created by name, so each benchmark takes the peer as a {@code @Param}.
 */
public abstract class Candidate implements AutoCloseable {

    /** Every name {@link #create} knows; benchmarks list the subset that applies to them. */
    public static final String EVENTTHREAD = "eventthread";
    /** EventThread timers through {@link EventLoop#callLater} rather than {@code schedule}. */
    public static final String EVENTTHREAD_CALL_LATER = "eventthreadCallLater";
    /**
     * EventThread with {@code idleSpin(Duration.ZERO)}: neither the loop nor a thread waiting on a
     * loop future spins before parking. A diagnostic variant, to show what the spin costs or buys.
     */
    public static final String EVENTTHREAD_NO_SPIN = "eventthreadNoSpin";
    public static final String NETTY_NIO = "nettyNio";
    public static final String NETTY_DEFAULT = "nettyDefault";
    public static final String JDK_SINGLE = "jdkSingle";
    public static final String STPE = "stpe";
    public static final String STPE_REMOVE = "stpeRemove";
    public static final String SPRING = "spring";
    /** {@link XaddReferenceLoop}: a minimal loop on JCTools' XADD queue, for execute only. */
    public static final String XADD_REF = "xaddRef";

    /** Long enough for any idle peer to stop; a peer that needs more is broken, not slow. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Creates and starts a candidate with one thread.
     * @param name one of the constants of this class
     * @return a running candidate; close it in {@code @TearDown}
     */
    public static Candidate create(String name) {
        switch (name) {
            case EVENTTHREAD:
                return new EventThreadCandidate(EventThread.builder(), false);
            case EVENTTHREAD_CALL_LATER:
                return new EventThreadCandidate(EventThread.builder(), true);
            case EVENTTHREAD_NO_SPIN:
                return new EventThreadCandidate(EventThread.builder().idleSpin(Duration.ZERO), false);
            case NETTY_NIO: {
                MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                // Use the loop itself, not the group, so no round-robin step sits in the measured path.
                return new ServiceCandidate(group.next(), () -> stopNetty(group));
            }
            case NETTY_DEFAULT: {
                DefaultEventLoop loop = new DefaultEventLoop();
                return new ServiceCandidate(loop, () -> stopNetty(loop));
            }
            case JDK_SINGLE: {
                ExecutorService single = Executors.newSingleThreadExecutor();
                return new ServiceCandidate(single, () -> stopJdk(single));
            }
            case STPE:
            case STPE_REMOVE: {
                ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
                stpe.setRemoveOnCancelPolicy(STPE_REMOVE.equals(name));
                return new ServiceCandidate(stpe, () -> stopJdk(stpe));
            }
            case SPRING:
                return new SpringCandidate();
            case XADD_REF:
                return new XaddCandidate();
            default:
                throw new IllegalArgumentException("executor: " + name + " (expected one of the names in Candidate)");
        }
    }

    /** Hands a task to the thread; the hot path of the throughput benchmarks. */
    public abstract void execute(Runnable task);

    /** Runs a task and returns its future, for round trips. */
    public abstract <T> Future<T> submit(Callable<T> task);

    /**
     * Schedules a timer.
     * @return a handle for {@link #cancel(Object)}; an {@code Object} so EventThread's
     *         {@link LoopHandle} and the JDK's {@link ScheduledFuture} fit one benchmark loop
     */
    public Object schedule(Runnable task, long delayMillis) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no timers");
    }

    /** Cancels a timer returned by {@link #schedule}. */
    public boolean cancel(Object handle) {
        return ((Future<?>) handle).cancel(false);
    }

    /** Stops the thread, waiting at most {@link #STOP_TIMEOUT}. */
    @Override
    public abstract void close();

    private static void stopNetty(EventExecutorGroup group) {
        group.shutdownGracefully(0, STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private static void stopJdk(ExecutorService service) {
        service.shutdownNow();
        try {
            service.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Any {@link ExecutorService}; timers when it is also a {@link ScheduledExecutorService}. */
    static final class ServiceCandidate extends Candidate {

        private final ExecutorService service;
        private final Runnable stop;

        ServiceCandidate(ExecutorService service, Runnable stop) {
            this.service = service;
            this.stop = stop;
        }

        @Override
        public void execute(Runnable task) {
            service.execute(task);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return service.submit(task);
        }

        @Override
        public Object schedule(Runnable task, long delayMillis) {
            return ((ScheduledExecutorService) service).schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            stop.run();
        }
    }

    /** EventThread with one loop, used only through its public API. */
    static final class EventThreadCandidate extends Candidate {

        private final EventThread group;
        private final EventLoop loop;
        /** The loop's executor view: the JDK-style timers for libraries. */
        private final ScheduledExecutorService view;
        private final boolean callLater;

        EventThreadCandidate(EventThread.Builder builder, boolean callLater) {
            this.group = builder.loopCount(1).threadNamePrefix("bench").build().start();
            this.loop = group.next();
            this.view = loop.asExecutorService();
            this.callLater = callLater;
        }

        /** The loop, for benchmarks of EventThread's own API (async chains). */
        EventLoop loop() {
            return loop;
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return loop.submit(task);
        }

        @Override
        public Object schedule(Runnable task, long delayMillis) {
            return callLater ? loop.callLater(Duration.ofMillis(delayMillis), task)
                    : view.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean cancel(Object handle) {
            return callLater ? ((LoopHandle) handle).cancel() : super.cancel(handle);
        }

        @Override
        public void close() {
            group.shutdownGracefully(STOP_TIMEOUT).join();
        }
    }

    /** The reference loop: execute only. */
    static final class XaddCandidate extends Candidate {

        private final XaddReferenceLoop loop = new XaddReferenceLoop();

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            throw new UnsupportedOperationException("the reference loop has no futures");
        }

        @Override
        public void close() {
            loop.close();
        }
    }

    /** Spring's {@link ThreadPoolTaskScheduler} with one thread, through its own methods (which wrap each task). */
    static final class SpringCandidate extends Candidate {

        private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

        SpringCandidate() {
            scheduler.setPoolSize(1);
            scheduler.setThreadNamePrefix("bench-spring-");
            scheduler.initialize();
        }

        @Override
        public void execute(Runnable task) {
            scheduler.execute(task);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return scheduler.submit(task);
        }

        @Override
        public Object schedule(Runnable task, long delayMillis) {
            return scheduler.schedule(task, Instant.now().plusMillis(delayMillis));
        }

        @Override
        public void close() {
            scheduler.setAwaitTerminationMillis(STOP_TIMEOUT.toMillis());
            scheduler.shutdown();
        }
    }
}

package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.task.TaskDecorator;

/**
 * The executor Spring hands work to for one group: {@code @Async("<group>")} and
 * {@code @Scheduled(scheduler = "<group>")} run on the group's loops through it. The starter
 * registers one per {@link EventThread} bean, named {@code <group>Executor}, qualified by the
 * group's bean name, and not a default candidate: Spring Boot's conditions ignore it, and it is
 * neither a {@code TaskExecutor} nor a {@code TaskScheduler}, the types Spring's {@code @Async}
 * and {@code @Scheduled} defaults look for first (where a lone candidate is taken whatever its
 * flags).
 *
 * <p>It follows Spring's life cycle as {@code ThreadPoolTaskExecutor} and
 * {@code ThreadPoolTaskScheduler} do since Spring Framework 6.1: while stopped it
 * still accepts work, but holds every task that comes due, and runs the held tasks when the
 * context starts again — a periodic task that comes due several times while stopped runs once.
 * Tasks already running finish; the loops themselves are never paused, so work given to the group
 * directly, and the futures it returns, complete as usual. When the context closes, held tasks are
 * released to run during the group's drain; a task that can no longer run is cancelled.
 *
 * <p>{@link #shutdown()} and {@link #shutdownNow()} cover only the work submitted through this
 * executor, never the group.
 */
public final class EventThreadExecutor extends AbstractExecutorService
        implements ScheduledExecutorService, SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

    private final EventThread group;

    private final ScheduledExecutorService view;

    /** Re-captures the submitter's context for a held task; may be null. */
    private final TaskDecorator heldTaskDecorator;

    private final Object lock = new Object();

    private ApplicationContext applicationContext;

    /** Whether Spring stopped the context; guarded by {@link #lock}. */
    private boolean paused;

    /** Whether the context is closing: nothing is held any more; guarded by {@link #lock}. */
    private boolean closing;

    /** Tasks that came due while paused, with the loop each came due on; guarded by {@link #lock}. */
    private final List<Held> held = new ArrayList<>();

    /** Tasks of this executor running now; guarded by {@link #lock}. */
    private int running;

    /** Called once {@link #running} drops to zero after a pause; guarded by {@link #lock}. */
    private Runnable pausedCallback;

    /**
     * Creates the executor of a group.
     * @param group the group whose loops run the tasks
     */
    public EventThreadExecutor(EventThread group) {
        this(group, null);
    }

    /**
     * Creates the executor of a group whose tasks the given decorator propagates context to (the
     * starter's: context propagation and the {@code TaskDecorator} beans). A task held by a pause
     * is released from the thread that resumes, so it is decorated again when held, where its
     * submitter's context is in place, and runs in that context.
     * @param group the group whose loops run the tasks
     * @param heldTaskDecorator the group's task decorator, or {@code null}
     */
    public EventThreadExecutor(EventThread group, TaskDecorator heldTaskDecorator) {
        this.group = group;
        this.heldTaskDecorator = heldTaskDecorator;
        this.view = group.asExecutorService();
        // a task still held when the group is gone can never run: its future completes cancelled
        group.terminationFuture().whenComplete((report, ex) -> cancelHeld());
    }

    /**
     * The group this executor runs tasks on.
     * @return the group
     */
    public EventThread group() {
        return this.group;
    }

    @Override
    public void execute(Runnable command) {
        this.view.execute(new Gate(command, false));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(new FutureTask<>(command, null), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return schedule(new FutureTask<>(callable), delay, unit);
    }

    private <V> ScheduledFuture<V> schedule(FutureTask<V> task, long delay, TimeUnit unit) {
        // the view's own future completes when the gate returns, which may be before a held task
        // ran: the caller gets the task's future, with the view's delay
        ScheduledFuture<?> timer = this.view.schedule(new Gate(task, false), delay, unit);
        return new HeldFuture<>(task, timer);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return this.view.scheduleAtFixedRate(new Gate(command, true), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return this.view.scheduleWithFixedDelay(new Gate(command, true), initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        closing();
        this.view.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Held> neverRun;
        synchronized (this.lock) {
            this.closing = true;
            this.paused = false;
            neverRun = takeHeld();
        }
        List<Runnable> tasks = new ArrayList<>(this.view.shutdownNow());
        neverRun.forEach((entry) -> tasks.add(entry.gate.task));
        return tasks;
    }

    @Override
    public boolean isShutdown() {
        return this.view.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return this.view.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return this.view.awaitTermination(timeout, unit);
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    /** Resumes: runs the held tasks, each on the loop it came due on. */
    @Override
    public void start() {
        resume();
    }

    /** Pauses: holds tasks that come due from now on. */
    @Override
    public void stop() {
        pause(() -> {
        });
    }

    /** Pauses; the callback runs once no task of this executor is running any more. */
    @Override
    public void stop(Runnable callback) {
        pause(callback);
    }

    @Override
    public boolean isRunning() {
        synchronized (this.lock) {
            return !this.paused && !this.view.isTerminated();
        }
    }

    /** The groups' phase: paused and resumed with the loops' life cycle. */
    @Override
    public int getPhase() {
        return EventThreadLifecycle.START_STOP_LIFECYCLE_PHASE;
    }

    /**
     * Our context is closing, as Spring's executors learn it: the stop that follows is no pause,
     * and held tasks run now, during the group's drain, rather than never.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == this.applicationContext) {
            closing();
        }
    }

    /**
     * Holds tasks that come due from now on; {@code callback} runs once no task of this executor
     * is running any more (at once when none is), as Spring's executors report a stop.
     */
    void pause(Runnable callback) {
        synchronized (this.lock) {
            if (this.closing) {
                callback.run();
                return;
            }
            this.paused = true;
            if (this.running == 0) {
                callback.run();
            }
            else {
                this.pausedCallback = callback;
            }
        }
    }

    /** Runs the held tasks, each on the loop it came due on, and holds nothing more. */
    void resume() {
        List<Held> release;
        synchronized (this.lock) {
            this.paused = false;
            this.pausedCallback = null;
            release = takeHeld();
        }
        release.forEach(Held::release);
    }

    /** Held tasks run now, during the group's drain, and nothing is held again. */
    void closing() {
        synchronized (this.lock) {
            this.closing = true;
        }
        resume();
    }

    boolean isPaused() {
        synchronized (this.lock) {
            return this.paused;
        }
    }

    private List<Held> takeHeld() {
        List<Held> taken = new ArrayList<>(this.held);
        this.held.clear();
        taken.forEach((entry) -> entry.gate.pending = false);
        return taken;
    }

    private void cancelHeld() {
        List<Held> cancelled;
        synchronized (this.lock) {
            cancelled = takeHeld();
        }
        cancelled.forEach((entry) -> entry.gate.cancel());
    }

    private void finished() {
        synchronized (this.lock) {
            this.running--;
            if (this.running == 0 && this.pausedCallback != null) {
                Runnable callback = this.pausedCallback;
                this.pausedCallback = null;
                callback.run();
            }
        }
    }

    private EventLoop currentLoop() {
        for (EventLoop loop : this.group.loops()) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return this.group.next();
    }

    /** Runs a task unless the executor is paused, in which case it is held. */
    private final class Gate implements Runnable {

        private final Runnable task;

        private final boolean periodic;

        /** Whether this gate is held already: a periodic task is held once; guarded by the lock. */
        private boolean pending;

        Gate(Runnable task, boolean periodic) {
            this.task = task;
            this.periodic = periodic;
        }

        @Override
        public void run() {
            synchronized (EventThreadExecutor.this.lock) {
                if (EventThreadExecutor.this.paused && !EventThreadExecutor.this.closing
                        && !EventThreadExecutor.this.group.isShutdown()) {
                    if (!this.pending) {
                        this.pending = true;
                        TaskDecorator decorator = EventThreadExecutor.this.heldTaskDecorator;
                        Runnable decorated = (decorator != null) ? decorator.decorate(this) : this;
                        EventThreadExecutor.this.held.add(new Held(currentLoop(), this, decorated));
                    }
                    return;
                }
                EventThreadExecutor.this.running++;
            }
            try {
                this.task.run();
            }
            finally {
                finished();
            }
        }

        void cancel() {
            if (this.task instanceof FutureTask<?> future) {
                future.cancel(false);
            }
        }

    }

    /** A held task and the loop it came due on: a periodic task's runs stay on one loop. */
    private record Held(Executor loop, Gate gate, Runnable decorated) {

        void release() {
            try {
                this.loop.execute(this.decorated);
            }
            catch (RejectedExecutionException ex) {
                this.gate.cancel();
            }
        }

    }

    /** A one-shot task's own future, with the delay of the timer that runs it. */
    private record HeldFuture<V>(FutureTask<V> task, ScheduledFuture<?> timer) implements ScheduledFuture<V> {

        @Override
        public long getDelay(TimeUnit unit) {
            return this.timer.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            this.timer.cancel(false);
            return this.task.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return this.task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return this.task.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return this.task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return this.task.get(timeout, unit);
        }

    }

}

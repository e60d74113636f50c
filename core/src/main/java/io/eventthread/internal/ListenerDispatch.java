package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.internal.jfr.LoopRecorder;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands listener events to the process-wide notifier thread, never calling a listener on a loop
 * thread; counts the events dropped when the notifier's backlog is full.
 */
final class ListenerDispatch {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final List<EventLoopListener> listeners;
    /**
     * The listeners of failures and rejections: the Flight Recorder listener ignores those, so
     * without other listeners a failing or rejected task queues no notifier work.
     */
    private final List<EventLoopListener> failureListeners;
    private final AtomicLong dropped = new AtomicLong();

    ListenerDispatch(List<EventLoopListener> listeners) {
        this.listeners = listeners;
        this.failureListeners = listeners.stream().filter(l -> !(l instanceof LoopRecorder)).toList();
    }

    void notify(Consumer<EventLoopListener> event) {
        notify(listeners, event);
    }

    /** A failure or rejection event: not sent to the Flight Recorder listener. */
    void notifyFailure(Consumer<EventLoopListener> event) {
        notify(failureListeners, event);
    }

    private void notify(List<EventLoopListener> listeners, Consumer<EventLoopListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        boolean queued = Watchdog.notify(() -> {
            for (EventLoopListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (Throwable t) {
                    LOG.log(Level.WARNING, "EventLoopListener " + listener + " threw", t);
                }
            }
        });
        if (!queued) {
            dropped.incrementAndGet();
        }
    }

    /** @return whether any listener is registered */
    boolean any() {
        return !listeners.isEmpty();
    }

    long dropped() {
        return dropped.get();
    }
}

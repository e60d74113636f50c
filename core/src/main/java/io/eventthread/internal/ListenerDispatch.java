package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
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
    private final AtomicLong dropped = new AtomicLong();

    ListenerDispatch(List<EventLoopListener> listeners) {
        this.listeners = listeners;
    }

    void notify(Consumer<EventLoopListener> event) {
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

    long dropped() {
        return dropped.get();
    }
}

package io.eventthread;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open {@link TaskGroup}s of one loop, cancelled when its shutdown begins. One
 * {@code onShutdown} callback per loop rather than one per group: the loop keeps its callbacks in a
 * copy-on-write list, which many short-lived groups would copy on every open and close.
 */
final class OpenGroups {

    /** Weak: a terminated loop and its registry go with it. */
    private static final Map<EventLoop, OpenGroups> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    private final Set<TaskGroup> open = ConcurrentHashMap.newKeySet();
    private volatile CancellationException shutdown;

    private OpenGroups() {
    }

    static OpenGroups of(EventLoop loop) {
        synchronized (BY_LOOP) {
            OpenGroups groups = BY_LOOP.get(loop);
            if (groups == null) {
                OpenGroups created = new OpenGroups();
                loop.onShutdown(() -> created.cancelAll(loop));
                BY_LOOP.put(loop, created);
                groups = created;
            }
            return groups;
        }
    }

    /**
     * Adds an open group.
     * @return {@code null}, or the cancellation to abort it with if the shutdown has begun
     */
    CancellationException add(TaskGroup group) {
        open.add(group);
        // cancelAll sets the flag, then iterates: it sees this group, or this sees the flag
        return shutdown;
    }

    void remove(TaskGroup group) {
        open.remove(group);
    }

    private void cancelAll(EventLoop loop) {
        shutdown = new CancellationException("task group cancelled: event loop '" + loop.name() + "' is shutting down");
        for (TaskGroup group : open) {
            group.abortForShutdown(new CancellationException(shutdown.getMessage()));
        }
    }
}

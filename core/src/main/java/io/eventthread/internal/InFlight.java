package io.eventthread.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The futures a loop has handed out that are not queue entries: {@code submitAsync} and
 * {@code runBlocking} work in flight, which a graceful shutdown waits for, and {@code newFuture}
 * promises, which it does not. Termination cancels both.
 */
final class InFlight {

    private final Set<OwnedFuture<?>> work = ConcurrentHashMap.newKeySet();
    private final Set<OwnedFuture<?>> promises = ConcurrentHashMap.newKeySet();
    /** Set by another thread that ended the last in-flight work of a draining loop: look again. */
    private volatile boolean wakeRequested;

    /** Asynchronous or blocking work: a graceful shutdown waits for it. */
    void track(OwnedFuture<?> future) {
        work.add(future);
    }

    /** A promise: cancelled at termination, not waited for; cancelled at once if the loop has terminated. */
    <T> Promise<T> track(Promise<T> p, Lifecycle lifecycle) {
        if (lifecycle.isTerminated()) {
            p.cancel(false);
        } else {
            promises.add(p);
            if (lifecycle.isTerminated()) {
                p.cancel(false);
            }
        }
        return p;
    }

    /**
     * The future completed.
     * @return whether it was work in flight (not a promise)
     */
    boolean untrack(OwnedFuture<?> future) {
        boolean wasWork = work.remove(future);
        promises.remove(future);
        return wasWork;
    }

    /** Another thread ended the last in-flight work of a draining loop: it should look again. */
    void requestWake() {
        wakeRequested = true;
    }

    /** Loop thread, before parking: whether a wake was requested since it last looked. */
    boolean takeWakeRequest() {
        if (!wakeRequested) {
            return false;
        }
        wakeRequested = false;
        return true;
    }

    boolean isEmpty() {
        return work.isEmpty();
    }

    int size() {
        return work.size();
    }

    /** Cancels the work in flight and the promises; returns how much work was cancelled. */
    int cancelAll() {
        int cancelled = 0;
        for (OwnedFuture<?> f : List.copyOf(work)) {
            if (f.cancel(true)) {
                cancelled++;
            }
        }
        for (OwnedFuture<?> p : List.copyOf(promises)) {
            p.cancel(false);
        }
        return cancelled;
    }
}

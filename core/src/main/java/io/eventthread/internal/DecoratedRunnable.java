package io.eventthread.internal;

import java.util.List;

/** A plain task run through the group's decorator that still describes itself as the original. */
final class DecoratedRunnable implements UserEntry {

    final Runnable original;
    private final Runnable decorated;

    DecoratedRunnable(Runnable original, Runnable decorated) {
        this.original = original;
        this.decorated = decorated;
    }

    @Override
    public void run() {
        decorated.run();
    }

    /** Never started: reported as the caller's own task, not our decoration of it. */
    @Override
    public int terminate(List<Runnable> neverStarted) {
        neverStarted.add(original);
        return 1;
    }

    @Override
    public boolean cancelFromOutside() {
        return false;
    }

    @Override
    public String toString() {
        return original.toString();
    }
}

package io.eventthread;

/** A plain task run through the group's decorator that still describes itself as the original. */
final class DecoratedRunnable implements Runnable {

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

    @Override
    public String toString() {
        return original.toString();
    }
}

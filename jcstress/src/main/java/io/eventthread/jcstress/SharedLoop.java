package io.eventthread.jcstress;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;

/**
 * One loop per jcstress VM, shared by every state object: starting a loop thread per iteration
 * would drown the race in thread start-up. Its threads are daemons so the forked VM can exit.
 */
final class SharedLoop {

    static final EventLoop LOOP = EventThread.builder()
            .threadNamePrefix("jcstress-loop")
            .threadFactory(r -> {
                Thread t = new Thread(r, "jcstress-loop");
                t.setDaemon(true);
                return t;
            })
            .build().start().next();

    private SharedLoop() {
    }

    /**
     * The loop's pending timers, read on the loop: from another thread the count is an instant's
     * view, which can be one off while the loop is taking a cancelled timer out of its heap.
     */
    static int pendingTimers() {
        return LOOP.submit(() -> LOOP.stats().pendingTimers()).join();
    }

    /** Waits until the loop has run everything queued before this call (the queue is FIFO). */
    static void sync() {
        LOOP.submit(() -> null).join();
    }
}

package io.eventthread;

/** The life-cycle state of an {@link EventLoop}; it only ever moves forward. */
public enum LoopState {
    /** Built but not started: submissions are rejected. */
    NEW,
    /** Running and accepting work from any thread. */
    RUNNING,
    /**
     * A graceful shutdown is in progress: submissions from outside the loop are rejected, queued
     * and in-flight work may finish until the shutdown deadline.
     */
    SHUTTING_DOWN,
    /** Stopped: every future the loop handed out is done, and every submission is rejected. */
    TERMINATED
}

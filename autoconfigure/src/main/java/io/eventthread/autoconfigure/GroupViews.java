package io.eventthread.autoconfigure;

import java.util.concurrent.ScheduledExecutorService;

import io.eventthread.EventThread;

/** The one place the starter asks a group for an executor view. */
final class GroupViews {

    private GroupViews() {
    }

    /** Whether a group is itself an executor, so that no view of it may share its qualifier. */
    static final boolean GROUP_IS_AN_EXECUTOR = java.util.concurrent.Executor.class.isAssignableFrom(EventThread.class);

    static ScheduledExecutorService executorService(EventThread group) {
        return group;
    }

}

/**
 * EventThread core: event loops in dedicated threads. Exports the API ({@code io.eventthread}),
 * the thread/loop bridges ({@code io.eventthread.bridge}) and structured concurrency
 * ({@code io.eventthread.structured}), both built on the API alone; the engine
 * ({@code io.eventthread.internal}) stays inside the module.
 */
module io.eventthread {
    requires org.jctools.core;
    // the io.eventthread.* Flight Recorder events and blocking-call detection (internal.jfr, not exported)
    requires jdk.jfr;

    exports io.eventthread;
    exports io.eventthread.bridge;
    exports io.eventthread.structured;
}

/**
 * EventThread core: event loops in dedicated threads. Exports the API ({@code io.eventthread})
 * and the thread/loop bridges ({@code io.eventthread.bridge}); the engine
 * ({@code io.eventthread.internal}) stays inside the module.
 */
module io.eventthread {
    requires org.jctools.core;

    exports io.eventthread;
    exports io.eventthread.bridge;
}

/**
 * EventThread: asyncio-style event loops in dedicated threads — the API, types and values only.
 * Start with {@link io.eventthread.EventThread#builder()}; the contracts live on
 * {@link io.eventthread.EventThread} (a group of loops and its life cycle),
 * {@link io.eventthread.EventLoop} (one loop: an {@link java.util.concurrent.Executor} with
 * asyncio's vocabulary) and {@link io.eventthread.LoopFuture}. A group and a loop are not
 * {@code ExecutorService}s: libraries that want one get a view from {@code asExecutorService()},
 * which they may shut down without stopping anything else. The engine behind these types is not
 * part of the API; {@code EventThread.builder()} is this package's one edge into it. The bridges
 * between plain threads and loops are in {@code io.eventthread.bridge}.
 */
package io.eventthread;

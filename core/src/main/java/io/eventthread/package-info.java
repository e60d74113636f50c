/**
 * EventThread: asyncio-style event loops in dedicated threads. Start with
 * {@link io.eventthread.EventThread#builder()}; the contracts live on {@link io.eventthread.EventThread},
 * {@link io.eventthread.EventLoop} and {@link io.eventthread.LoopFuture}. The bridges between
 * plain threads and loops are in {@code io.eventthread.bridge}.
 */
package io.eventthread;

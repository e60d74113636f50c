/**
 * Bridges between plain threads and event loops: {@link io.eventthread.bridge.LoopQueue} (a
 * queue with a blocking face and a loop face), {@link io.eventthread.bridge.LoopEvent} (a flag
 * both can wait for), {@link io.eventthread.bridge.ThreadInbox} (loop code asking a plain thread
 * to do something) and {@link io.eventthread.bridge.LoopService} (named asynchronous operations
 * called as blocking calls). Built on the public API of {@code io.eventthread} only: loop-side
 * waiters are answered through {@link io.eventthread.LoopFuture#completeOnLoop}, so a bridge is
 * served while its loop drains a shutdown and answered, never handed back, by an immediate one.
 */
package io.eventthread.bridge;

/**
 * Structured concurrency on an event loop, asyncio's {@code TaskGroup}, {@code gather} and
 * {@code as_completed}: {@link io.eventthread.structured.TaskGroup} (child tasks that finish
 * together, the first failure cancelling the rest), {@link io.eventthread.structured.LoopFutures}
 * ({@code gather}, {@code gatherSettled}, {@code asCompleted}) and
 * {@link io.eventthread.structured.Settled} (how one stage ended). Built on the public API of
 * {@code io.eventthread} only: children are the loop's own submissions, results come back to the
 * loop through {@link io.eventthread.LoopFuture#completeOnLoop}, and open groups are cancelled at
 * shutdown through {@link io.eventthread.EventLoop#onShutdown}.
 */
package io.eventthread.structured;

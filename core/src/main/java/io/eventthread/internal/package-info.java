/**
 * The engine behind the API: not exported by the module, and not API on the class path either —
 * these types may change in any release. One home per concept:
 * <ul>
 *   <li>{@code GroupBuilder} — the {@code EventThread.Builder}: settings, their validation, the
 *       factory; {@code LoopCore} — a loop's thread, task queue and run loop;
 *       {@code DefaultEventLoop} — the {@code EventLoop} API over it; {@code LoopGroup} — the
 *       {@code EventThread}: the loops of one group; {@code ExecutorView} — the executor views;
 *       {@code BoundFuture} — what every engine {@code LoopFuture} holds;</li>
 *   <li>{@code IdleStrategy} — spin, then park, and the wake-up protocol;</li>
 *   <li>{@code Timers} (with {@code TimerHeap}) — the timer heap and protocol;</li>
 *   <li>{@code Admission} — whether a submission is taken;</li>
 *   <li>{@code Lifecycle} — the state machine; {@code LoopShutdown}, {@code ShutdownCallbacks},
 *       {@code GroupShutdown} — the shutdown that drives it;</li>
 *   <li>{@code LoopCounters} and {@code StatsSnapshot} — figures and their snapshot;
 *       {@code StuckDetector} — slow and stuck callbacks; {@code FailureReporter} — failures;
 *       {@code ListenerDispatch} — listener events; {@code Watchdog} — the helper threads;</li>
 *   <li>{@code QueueEntry} — the sealed hierarchy of what the engine queues, each entry with its
 *       termination contract; {@code TaskFuture} and its kinds — tasks that are their own
 *       futures, seeing their loop only as a {@code TaskOwner}.</li>
 * </ul>
 */
package io.eventthread.internal;

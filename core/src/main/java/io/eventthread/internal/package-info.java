/**
 * Internals of the engine: the timer heap, the delay histogram, the process-wide watchdog and
 * listener notifier. Not API: these types may change in any release.
 */
package io.eventthread.internal;

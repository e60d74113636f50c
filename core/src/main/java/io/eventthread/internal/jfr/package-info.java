/**
 * Flight Recorder plumbing: the {@code io.eventthread.*} events, the listener and periodic hook
 * that emit them, and the blocking-call detector that watches the JDK's own events. Not API: the
 * classes are public only so the engine's packages can reach them.
 */
package io.eventthread.internal.jfr;

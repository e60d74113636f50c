/**
 * Micrometer metrics of EventThread loops, active when Micrometer and Boot's metrics module are
 * present.
 */
package io.eventthread.autoconfigure.metrics;

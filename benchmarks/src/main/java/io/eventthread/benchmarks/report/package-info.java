/**
 * Turns JMH's JSON results into {@code docs/benchmarks.md} and {@code docs/benchmarks.svg}, with no dependency beyond the JDK.
 */
package io.eventthread.benchmarks.report;

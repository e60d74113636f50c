/**
 * JMH benchmarks of EventThread against its peers (Netty, the JDK executors, Spring's scheduler):
 * every benchmark runs all its candidates in one JMH run so its results read as ratios.
 */
package io.eventthread.benchmarks;

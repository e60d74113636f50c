/**
 * Auto-configuration of EventThread event loops for Spring Boot: the {@code eventthread.*}
 * properties, the {@code eventThread} group and the named groups of {@code eventthread.groups.*},
 * the {@code EventThreadBuilder}, one lifecycle for every {@code EventThread} bean, a
 * {@code TaskScheduler} view, Boot's task executor and scheduler kept beside groups of your own,
 * and the failure analysis of invalid and contradictory properties.
 */
package io.eventthread.autoconfigure;

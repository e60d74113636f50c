/**
 * Auto-configuration of EventThread event loops for Spring Boot: the {@code eventthread.*}
 * properties, the {@code eventThread} group and the named groups of {@code eventthread.groups.*},
 * the {@code EventThreadBuilder}, one lifecycle for every {@code EventThread} bean, each group's
 * {@code EventThreadExecutor} for {@code @Async} and {@code @Scheduled} by qualifier — and
 * nothing Spring Boot's task auto-configuration or Spring's default look-ups would pick — and the
 * failure analysis of invalid and contradictory properties.
 */
package io.eventthread.autoconfigure;

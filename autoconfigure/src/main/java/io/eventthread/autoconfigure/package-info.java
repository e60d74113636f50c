/**
 * Auto-configuration of EventThread event loops for Spring Boot: the {@code eventthread.*}
 * properties, the {@code EventThread} bean and its lifecycle, a {@code TaskScheduler} view, and
 * the failure analysis of invalid properties.
 */
package io.eventthread.autoconfigure;

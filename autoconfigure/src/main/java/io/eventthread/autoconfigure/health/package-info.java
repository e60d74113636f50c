/**
 * The {@code eventThread} health contributor, active when Spring Boot's health module is present.
 */
package io.eventthread.autoconfigure.health;

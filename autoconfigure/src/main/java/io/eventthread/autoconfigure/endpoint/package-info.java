/**
 * The {@code eventthread} Actuator endpoint, active when Spring Boot Actuator is present.
 */
package io.eventthread.autoconfigure.endpoint;

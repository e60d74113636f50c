package io.eventthread;

import java.util.Objects;

/**
 * A setting of {@link EventThread.Builder} that {@link EventThread.Builder#build()} would refuse,
 * as {@link EventThread.Builder#violations()} reports it: which setting, its value, what it
 * accepts, and — for a rule between two settings — the other setting and why they conflict. A
 * configuration layer (the Spring Boot starter) maps {@link #setting()} to its own property names
 * and so reports core's rules without restating them.
 *
 * @param setting the builder method's name, as {@code loopCount} or {@code stuckThreshold}
 * @param value the value given
 * @param expected what the setting accepts, as {@code 1..1024} or {@code > 0}
 * @param conflictingSetting for a rule between two settings, the other setting's name; else {@code null}
 * @param conflictingValue the other setting's value; {@code null} without one
 * @param reason for a rule between two settings, why they conflict; else {@code null}
 */
public record SettingViolation(String setting, Object value, String expected, String conflictingSetting,
        Object conflictingValue, String reason) {

    /** Checks the names; a value may be {@code null} (a missing value is itself a violation). */
    public SettingViolation {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(expected, "expected");
    }

    /**
     * A value outside the setting's range.
     * @param setting the setting's name
     * @param value the value given
     * @param expected what it accepts
     * @return the violation
     */
    public static SettingViolation outOfRange(String setting, Object value, String expected) {
        return new SettingViolation(setting, value, expected, null, null, null);
    }

    /**
     * Two settings that contradict each other.
     * @param setting the setting to change
     * @param value its value
     * @param expected what it must be, given the other
     * @param conflictingSetting the other setting
     * @param conflictingValue the other's value
     * @param reason why they conflict
     * @return the violation
     */
    public static SettingViolation conflict(String setting, Object value, String expected, String conflictingSetting,
            Object conflictingValue, String reason) {
        return new SettingViolation(setting, value, expected, Objects.requireNonNull(conflictingSetting),
                conflictingValue, Objects.requireNonNull(reason));
    }

    /** @return whether this is a rule between two settings */
    public boolean isConflict() {
        return conflictingSetting != null;
    }

    /**
     * The message {@link EventThread.Builder#build()} throws with, as
     * {@code "loopCount: 0 (expected: 1..1024)"}.
     * @return the message
     */
    public String message() {
        String message = setting + ": " + value + " (expected: " + expected + ")";
        return isConflict() ? message + ": " + reason : message;
    }
}

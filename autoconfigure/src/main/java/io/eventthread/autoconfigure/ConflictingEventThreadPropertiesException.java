package io.eventthread.autoconfigure;

/**
 * Two settings that are each valid contradict each other, such as a stuck threshold below the
 * slow-callback threshold. Reported at start-up by
 * {@link ConflictingEventThreadPropertiesFailureAnalyzer}, naming both and where each was set.
 */
public class ConflictingEventThreadPropertiesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Setting first;

    private final Setting second;

    private final String reason;

    private final String action;

    /**
     * Creates an exception.
     * @param first one of the settings
     * @param second the setting it contradicts
     * @param reason why they cannot both hold
     * @param action what to change
     */
    public ConflictingEventThreadPropertiesException(Setting first, Setting second, String reason, String action) {
        super("Property '" + first.property() + "' (" + first.value() + ") contradicts '" + second.property() + "' ("
                + second.value() + "): " + reason);
        this.first = first;
        this.second = second;
        this.reason = reason;
        this.action = action;
    }

    /**
     * The first setting.
     * @return the setting
     */
    public Setting getFirst() {
        return this.first;
    }

    /**
     * The setting the first one contradicts.
     * @return the setting
     */
    public Setting getSecond() {
        return this.second;
    }

    /**
     * Why the two cannot both hold.
     * @return the reason
     */
    public String getReason() {
        return this.reason;
    }

    /**
     * What to change.
     * @return the action
     */
    public String getAction() {
        return this.action;
    }

    /**
     * One property, its value as a user would write it, and where it was set.
     * @param property the full property name
     * @param value the value
     * @param origin where it was set, or {@code null} for a default
     */
    public record Setting(String property, String value, String origin) {
    }

}

package io.eventthread.autoconfigure;

/**
 * An {@code eventthread.*} property has a value the application cannot start with. Reported at
 * start-up by {@link InvalidEventThreadPropertyFailureAnalyzer}.
 */
public class InvalidEventThreadPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final transient Object value;

    private final String expected;

    private final String origin;

    /**
     * Creates an exception for one property.
     * @param property the full property name, e.g. {@code eventthread.loop-count}
     * @param value the invalid value
     * @param expected the valid range or form, e.g. {@code 1..1024}
     */
    public InvalidEventThreadPropertyException(String property, Object value, String expected) {
        this(property, value, expected, null);
    }

    /**
     * Creates an exception for one property and where it was set.
     * @param property the full property name, e.g. {@code eventthread.loop-count}
     * @param value the invalid value
     * @param expected the valid range or form, e.g. {@code 1..1024}
     * @param origin where the value was set, or {@code null} when unknown
     */
    public InvalidEventThreadPropertyException(String property, Object value, String expected, String origin) {
        super("Property '" + property + "' is " + value + " (expected: " + expected + ")"
                + ((origin != null) ? "; origin: " + origin : ""));
        this.property = property;
        this.value = value;
        this.expected = expected;
        this.origin = origin;
    }

    /**
     * The full name of the invalid property.
     * @return the property name
     */
    public String getProperty() {
        return this.property;
    }

    /**
     * The invalid value.
     * @return the value
     */
    public Object getValue() {
        return this.value;
    }

    /**
     * The valid range or form.
     * @return a description of the valid values
     */
    public String getExpected() {
        return this.expected;
    }

    /**
     * Where the value was set, as Spring Boot describes an origin.
     * @return the origin, or {@code null} when unknown (for example the default)
     */
    public String getOrigin() {
        return this.origin;
    }

}

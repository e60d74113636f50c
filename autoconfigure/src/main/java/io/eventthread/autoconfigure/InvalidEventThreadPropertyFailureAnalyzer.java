package io.eventthread.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidEventThreadPropertyException}: which property is wrong, where it was
 * set, and what to write instead. Bind errors (an unknown enum constant, text where a duration
 * belongs) never get here; Boot's own binder analyzers already report them with the origin.
 */
class InvalidEventThreadPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEventThreadPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidEventThreadPropertyException cause) {
        String description = "Property '" + cause.getProperty() + "' is " + cause.getValue()
                + ", which EventThread cannot start with (expected: " + cause.getExpected() + ")."
                + ((cause.getOrigin() != null) ? System.lineSeparator() + System.lineSeparator() + "    Origin: "
                        + cause.getOrigin() : "");
        String action = "Update your application's configuration: set '" + cause.getProperty()
                + "' to " + cause.getExpected() + ", or remove it to use the default.";
        return new FailureAnalysis(description, action, cause);
    }

}

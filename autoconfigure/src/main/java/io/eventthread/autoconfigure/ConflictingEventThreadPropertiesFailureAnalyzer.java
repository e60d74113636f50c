package io.eventthread.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@link ConflictingEventThreadPropertiesException}: both settings, their origins, and the fix. */
class ConflictingEventThreadPropertiesFailureAnalyzer
        extends AbstractFailureAnalyzer<ConflictingEventThreadPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConflictingEventThreadPropertiesException cause) {
        String nl = System.lineSeparator();
        String description = "EventThread settings contradict each other:" + nl + nl
                + describe(cause.getFirst()) + nl + describe(cause.getSecond()) + nl
                + "Reason: " + cause.getReason();
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

    private static String describe(ConflictingEventThreadPropertiesException.Setting setting) {
        String nl = System.lineSeparator();
        return "    Property: " + setting.property() + nl + "    Value: " + setting.value() + nl + "    Origin: "
                + ((setting.origin() != null) ? setting.origin() : "the default") + nl;
    }

}

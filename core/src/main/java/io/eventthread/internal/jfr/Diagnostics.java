package io.eventthread.internal.jfr;

import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.SettingViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The builder's Flight Recorder settings, and their wiring into a built group: kept here so the
 * builder holds one field and a few lines.
 */
public final class Diagnostics {

    private boolean flightRecorder = true;
    private boolean blockingDetection;
    private Duration blockingDetectionThreshold = EventThread.Builder.DEFAULT_BLOCKING_DETECTION_THRESHOLD;
    private Duration blockingDetectionQuietPeriod = EventThread.Builder.DEFAULT_BLOCKING_DETECTION_QUIET_PERIOD;
    private CompletionStage<?> blockingDetectionQuietUntil;

    /** @param enabled whether to emit the {@code io.eventthread.*} events */
    public void flightRecorder(boolean enabled) {
        this.flightRecorder = enabled;
    }

    /** @param enabled whether to watch loop threads for blocking calls */
    public void blockingDetection(boolean enabled) {
        this.blockingDetection = enabled;
    }

    /** @param threshold the shortest blocking call reported */
    public void blockingDetectionThreshold(Duration threshold) {
        this.blockingDetectionThreshold = Objects.requireNonNull(threshold, "threshold");
    }

    /** @param quietPeriod how long after start blocking calls are held */
    public void blockingDetectionQuietPeriod(Duration quietPeriod) {
        this.blockingDetectionQuietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
    }

    /** @param until a signal blocking calls are held until, or {@code null} for none */
    public void blockingDetectionQuietUntil(CompletionStage<?> until) {
        this.blockingDetectionQuietUntil = until;
    }

    /**
     * Adds what is wrong with these settings.
     * @param into where the builder collects its violations
     */
    public void validate(List<SettingViolation> into) {
        if (blockingDetectionThreshold.isNegative() || blockingDetectionThreshold.isZero()) {
            into.add(SettingViolation.outOfRange("blockingDetectionThreshold", blockingDetectionThreshold, "> 0"));
        }
        if (blockingDetectionQuietPeriod.isNegative()) {
            into.add(SettingViolation.outOfRange("blockingDetectionQuietPeriod", blockingDetectionQuietPeriod,
                    ">= 0, or Duration.ZERO for none"));
        }
        if (blockingDetection && !LoopRecorder.available()) {
            into.add(SettingViolation.outOfRange("blockingDetection", true, "false, since Flight Recorder"
                    + " is not available in this JVM; it needs the jdk.jfr module"));
        }
    }

    /**
     * The group's listeners: the user's, then the Flight Recorder listener if enabled and available.
     * @param own the user's listeners
     * @return an unmodifiable copy
     */
    public List<EventLoopListener> withListeners(List<EventLoopListener> own) {
        if (!(flightRecorder && LoopRecorder.available())) {
            return List.copyOf(own);
        }
        List<EventLoopListener> all = new ArrayList<>(own);
        all.add(LoopRecorder.LISTENER);
        return List.copyOf(all);
    }

    /**
     * Wires a built group: the periodic sample and shutdown event, and the detector.
     * @param group the group, not started
     * @return the blocking-call detector to start with the loops, or {@code null}
     */
    public BlockingCallDetector install(EventThread group) {
        if (flightRecorder && LoopRecorder.available()) {
            LoopRecorder.install(group);
        }
        return blockingDetection ? BlockingCallDetector.create(group, blockingDetectionThreshold,
                new QuietPeriod(blockingDetectionQuietPeriod, blockingDetectionQuietUntil)) : null;
    }
}

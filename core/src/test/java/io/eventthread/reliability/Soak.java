package io.eventthread.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the reliability suites run, and what they checked. The defaults are the bounded CI
 * slice; the {@code soak} Maven profile raises them through system properties.
 */
final class Soak {

    /** jqwik tries per property. */
    static final int TRIES = Integer.getInteger("eventthread.soak.tries", 60);
    /** Wall-clock budget of each time-boxed stress test. */
    static final Duration SECONDS = Duration.ofSeconds(Long.getLong("eventthread.soak.seconds", 2));
    /**
     * Shutdown races to run at least, all race tests together: the cheapest, the lifecycle race
     * (a few milliseconds each), keeps going past its budget until the total reaches it.
     */
    static final long RACES = Long.getLong("eventthread.soak.races", 0);
    /** Whether this is a soak run (budgets above the CI slice). */
    static final boolean SOAKING = SECONDS.toSeconds() > 2 || TRIES > 60;

    static final AtomicLong OPERATIONS = new AtomicLong();
    static final AtomicLong SHUTDOWN_RACES = new AtomicLong();
    /** Of those: start racing shutdown and a submission (LifecycleRaceStressTest). */
    static final AtomicLong LIFECYCLE_RACES = new AtomicLong();
    /** Of those: producers racing shutdown, and concurrent shutdown calls (ShutdownRaceStressTest). */
    static final AtomicLong SUBMISSION_RACES = new AtomicLong();
    /** Of those: the shutdowns of random programs checked against the model (RandomProgramsTest). */
    static final AtomicLong PROGRAM_RACES = new AtomicLong();
    static final AtomicLong FUTURES_CHECKED = new AtomicLong();
    static final AtomicLong INCOMPLETE = new AtomicLong();

    private Soak() {
    }

    /** A stress test's deadline: its budget from now. */
    static long deadline() {
        return System.nanoTime() + SECONDS.toNanos();
    }

    static boolean before(long deadline) {
        return System.nanoTime() - deadline < 0;
    }

    /** The lifecycle race test's loop condition: within its budget, or short of the race target. */
    static boolean moreRaces(long deadline) {
        return before(deadline) || SHUTDOWN_RACES.get() < RACES;
    }

    /** Counts {@code n} shutdown races of one kind. */
    static void raced(AtomicLong kind, long n) {
        kind.addAndGet(n);
        SHUTDOWN_RACES.addAndGet(n);
    }

    static String summary() {
        return "eventthread reliability summary: operations tried=" + OPERATIONS.get()
                + ", shutdown races run=" + SHUTDOWN_RACES.get() + " (lifecycle=" + LIFECYCLE_RACES.get()
                + ", submission=" + SUBMISSION_RACES.get() + ", programs=" + PROGRAM_RACES.get() + ")"
                + ", futures checked=" + FUTURES_CHECKED.get()
                + ", incomplete=" + INCOMPLETE.get()
                + " (tries/property=" + TRIES + ", seconds/stress test=" + SECONDS.toSeconds()
                + (RACES > 0 ? ", race target=" + RACES : "") + ")";
    }
}

package io.eventthread.reliability;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.eventthread.TimerShutdownPolicy;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based randomized tests: random programs of submissions, timers, cancels and shutdowns
 * from several threads, checked by {@link ModelChecker}. The number of tries comes from the
 * {@code jqwik.tries.default} configuration parameter, which core's pom sets from
 * {@code eventthread.soak.tries} (60 in CI, thousands under {@code -Psoak}).
 *
 * <p>jqwik does not honour JUnit's {@code @Timeout}; each try is bounded by
 * {@code assertTimeoutPreemptively} instead.
 */
class RandomProgramsTest {

    private static final Duration PER_TRY = Duration.ofSeconds(45);

    /** Programs that end with the runner's own generous shutdown: everything must complete. */
    @Property
    void programsWithoutShutdownRaceMatchTheModel(@ForAll("withoutShutdown") Op.Program program) {
        check(program);
    }

    /** Programs in which producers call shutdownGracefully, with random timeouts, mid-run. */
    @Property
    void programsRacingShutdownMatchTheModel(@ForAll("withShutdown") Op.Program program) {
        check(program);
    }

    private static void check(Op.Program program) {
        List<String> violations = assertTimeoutPreemptively(PER_TRY, () -> {
            ProgramRunner runner = new ProgramRunner(program);
            runner.run();
            return new ModelChecker(runner).check();
        }, () -> "program did not finish within " + PER_TRY + ":\n" + program);
        Soak.OPERATIONS.addAndGet(program.size());
        Soak.raced(Soak.PROGRAM_RACES, program.shutdowns());
        if (!violations.isEmpty()) {
            throw new AssertionError(program + "\nviolations:\n  " + String.join("\n  ", violations));
        }
    }

    @Provide
    Arbitrary<Op.Program> withoutShutdown() {
        return programs(work());
    }

    @Provide
    Arbitrary<Op.Program> withShutdown() {
        Arbitrary<Op> shutdown = Arbitraries.integers().between(0, 150).map(Op.Shutdown::new);
        return programs(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, work()),
                net.jqwik.api.Tuple.of(1, shutdown)))
                .filter(p -> p.shutdowns() > 0);
    }

    private static Arbitrary<Op.Program> programs(Arbitrary<Op> ops) {
        Arbitrary<List<Op>> producer = ops.list().ofMaxSize(25);
        return Combinators.combine(
                        Arbitraries.of(TimerShutdownPolicy.class),
                        producer.list().ofMinSize(1).ofMaxSize(3))
                .as(Op.Program::new);
    }

    private static Arbitrary<Op> work() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new Op.Execute())),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(true, false).map(Op.Submit::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 30).map(Op.SubmitAsync::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 30).map(Op.RunBlocking::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 40).map(Op.CallLater::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-20, 40).map(Op.CallAt::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 20).map(Op.Cancel::new)));
    }
}

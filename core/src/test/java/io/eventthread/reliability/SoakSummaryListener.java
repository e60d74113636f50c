package io.eventthread.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the reliability summary line once all tests of the JVM have run (registered through
 * META-INF/services), and writes it to target/reliability-summary.txt, so a soak run ends with
 * one quotable line.
 */
public final class SoakSummaryListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (Soak.OPERATIONS.get() == 0 && Soak.FUTURES_CHECKED.get() == 0) {
            return; // no reliability test ran in this JVM
        }
        String line = Soak.summary();
        System.out.println(line);
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("reliability-summary.txt"), line + System.lineSeparator());
            }
        } catch (IOException e) {
            System.out.println("could not write target/reliability-summary.txt: " + e);
        }
    }
}

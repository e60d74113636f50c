package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a JPMS module: a consumer module compiled and run on the module path against the
 * compiled core uses the API and a bridge, sees the engine's Flight Recorder events and blocking
 * detection work from their unexported package, and can neither compile against nor reflect into
 * the engine package. (Every other suite runs on the class path, as Spring applications do.)
 */
@Timeout(120)
class ModulePathTest {

    @TempDir
    Path dir;

    private static final String MODULE_INFO = "module consumer { requires io.eventthread; requires jdk.jfr; }";

    private static final String MAIN = """
            package consumer;

            import io.eventthread.EventThread;
            import io.eventthread.bridge.LoopQueue;
            import java.time.Duration;

            public class Main {
                public static void main(String[] args) throws Exception {
                    Module core = EventThread.class.getModule();
                    System.out.println("module " + core.getName() + " named " + core.isNamed());
                    System.out.println("exports api " + core.isExported("io.eventthread")
                            + " bridge " + core.isExported("io.eventthread.bridge")
                            + " internal " + core.isExported("io.eventthread.internal"));
                    try (EventThread group = EventThread.builder().threadNamePrefix("modular").build().start()) {
                        String answer = group.next().submit(() -> "hello from " + Thread.currentThread().getName())
                                .await(Duration.ofSeconds(10));
                        System.out.println(answer);
                        LoopQueue<Integer> queue = LoopQueue.unbounded(group.next());
                        queue.put(41);
                        System.out.println("queue " + (queue.take() + 1));
                    }
                    flightRecorder();
                    try {
                        Class<?> engine = Class.forName("io.eventthread.internal.Durations");
                        engine.getMethod("saturatedNanos", Duration.class).invoke(null, Duration.ofSeconds(1));
                        System.out.println("internal reachable");
                    } catch (IllegalAccessException expected) {
                        System.out.println("internal refused");
                    }
                }

                /** The engine's events and blocking detection, from its unexported jfr package. */
                static void flightRecorder() throws Exception {
                    try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
                        recording.enable("io.eventthread.SlowCallback");
                        recording.start();
                        try (EventThread group = EventThread.builder().threadNamePrefix("modular-jfr")
                                .slowCallbackThreshold(Duration.ofMillis(20)).blockingDetection(true).build().start()) {
                            var loop = group.next();
                            long deadline = System.nanoTime() + 30_000_000_000L;
                            boolean slow = false;
                            // a starved watchdog may miss one slow callback, and a report takes a second or so
                            while (!slow && System.nanoTime() < deadline) {
                                loop.submit(() -> {
                                    Thread.sleep(100);
                                    return null;
                                }).await(Duration.ofSeconds(10));
                                Thread.sleep(500);
                                java.nio.file.Path file = java.nio.file.Files.createTempFile("modular", ".jfr");
                                recording.dump(file);
                                slow = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                                        .anyMatch(e -> e.getEventType().getName().equals("io.eventthread.SlowCallback"));
                                java.nio.file.Files.delete(file);
                            }
                            while (loop.stats().blockingCalls() == 0 && System.nanoTime() < deadline) {
                                Thread.sleep(20);
                            }
                            System.out.println("slow callback event " + slow);
                            System.out.println("blocking calls counted " + (loop.stats().blockingCalls() > 0));
                        }
                    }
                }
            }
            """;

    private static final String INTRUDER = """
            package consumer;

            public class Intruder {
                long nanos = io.eventthread.internal.Durations.saturatedNanos(java.time.Duration.ZERO);
            }
            """;

    @Test
    void aConsumerModuleUsesTheApiAndCannotReachTheEngine() throws Exception {
        String modulePath = location(EventThread.class) + File.pathSeparator
                + location(org.jctools.queues.MessagePassingQueue.class);
        Path src = write("src", MAIN, "Main");
        Path out = dir.resolve("out");

        CompileResult ok = compile(src, out, modulePath);
        assertThat(ok.success).as(ok.diagnostics).isTrue();

        Process run = new ProcessBuilder(javaBinary(), "--module-path", modulePath + File.pathSeparator + out,
                "-m", "consumer/consumer.Main").redirectErrorStream(true).start();
        assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("the consumer finished").isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output.lines()).containsSubsequence( // the engine's warnings come in between
                "module io.eventthread named true",
                "exports api true bridge true internal false",
                "hello from modular-1",
                "queue 42",
                "slow callback event true",
                "blocking calls counted true",
                "internal refused");
    }

    @Test
    void codeInAnotherModuleDoesNotCompileAgainstTheEngine() throws Exception {
        String modulePath = location(EventThread.class) + File.pathSeparator
                + location(org.jctools.queues.MessagePassingQueue.class);
        Path src = write("intruder", INTRUDER, "Intruder");

        CompileResult refused = compile(src, dir.resolve("intruder-out"), modulePath);

        assertThat(refused.success).isFalse();
        assertThat(refused.diagnostics).contains("io.eventthread.internal")
                .containsAnyOf("does not export", "not visible");
    }

    private Path write(String root, String source, String className) throws Exception {
        Path src = dir.resolve(root);
        Files.createDirectories(src.resolve("consumer"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("consumer").resolve(className + ".java"), source);
        return src;
    }

    private record CompileResult(boolean success, String diagnostics) {
    }

    private static CompileResult compile(Path src, Path out, String modulePath) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> files;
        try (var walk = Files.walk(src)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "--module-path", modulePath,
                "-d", out.toString()));
        args.addAll(files);
        int status = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                diagnostics.write(b);
            }
        }, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        return new CompileResult(status == 0, diagnostics.toString());
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}

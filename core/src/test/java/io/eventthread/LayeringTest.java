package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers, as {@code java.net.http} does: the API package holds API types and
 * values and reaches the engine ({@code io.eventthread.internal}) through one factory edge; the
 * layers above the API (the bridges, structured concurrency) use the API only; the engine
 * implements the API. Read from the sources, so a new edge fails here, not in a review.
 */
class LayeringTest {

    private static final Path ROOT = Path.of("src/main/java/io/eventthread");
    private static final Pattern ENGINE_REFERENCE = Pattern.compile("\\bio\\.eventthread\\.internal(?:\\.[a-z]\\w*)*(?:\\.[A-Z]\\w*)?");

    /** The API's one way into the engine: {@code EventThread.builder()}. */
    private static final Map<String, Set<String>> API_FACTORY_EDGE =
            Map.of("EventThread.java", Set.of("io.eventthread.internal.GroupBuilder"));

    /**
     * Engine references still made by the layers above the API, to be emptied (issue 19: the
     * bridges move onto the API's own "complete on your loop" primitive). No new one may appear.
     */
    private static final Map<String, Set<String>> ABOVE_API_LEGACY_EDGES = Map.of(
            "bridge/Bridges.java", Set.of("io.eventthread.internal.EngineTasks"),
            "bridge/LoopEvent.java", Set.of("io.eventthread.internal.Durations"),
            "bridge/LoopQueue.java", Set.of("io.eventthread.internal.Durations"),
            "bridge/ThreadInbox.java", Set.of("io.eventthread.internal.Durations"));

    @Test
    void theApiPackageReachesTheEngineOnlyThroughTheFactory() throws IOException {
        List<String> edges = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                for (String reference : engineReferences(file)) {
                    if (!API_FACTORY_EDGE.getOrDefault(name, Set.of()).contains(reference)) {
                        edges.add(name + " -> " + reference);
                    }
                }
            }
        }
        assertThat(edges).as("API -> engine edges besides the factory").isEmpty();
    }

    @Test
    void theLayersAboveTheApiDoNotReachIntoTheEngine() throws IOException {
        List<String> edges = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = ROOT.relativize(file).toString().replace('\\', '/');
                if (!relative.contains("/") || relative.startsWith("internal/")) {
                    continue; // the API package (checked above) and the engine itself
                }
                for (String reference : engineReferences(file)) {
                    if (!ABOVE_API_LEGACY_EDGES.getOrDefault(relative, Set.of()).contains(reference)) {
                        edges.add(relative + " -> " + reference);
                    }
                }
            }
        }
        assertThat(edges).as("edges from the layers above the API into the engine").isEmpty();
    }

    @Test
    void theModuleExportsTheApiAndNotTheEngine() throws IOException {
        String descriptor = Files.readString(Path.of("src/main/java/module-info.java"));
        assertThat(descriptor).contains("exports io.eventthread;").doesNotContain("exports io.eventthread.internal");
    }

    /** The engine classes a source file names, in imports or fully qualified, ignoring comments. */
    private static Set<String> engineReferences(Path file) throws IOException {
        String code = Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Set<String> found = new java.util.TreeSet<>();
        Matcher m = ENGINE_REFERENCE.matcher(code);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}

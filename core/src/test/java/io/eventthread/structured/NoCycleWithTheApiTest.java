package io.eventthread.structured;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Structured concurrency and the bridges sit above the API: the API refers to neither, so the
 * packages form no cycle (that they import no engine type is {@code LayeringTest}'s).
 */
class NoCycleWithTheApiTest {

    private static final Path SOURCES = Path.of("src/main/java/io/eventthread");

    @Test
    void theApiPackageRefersToNeitherPackageAboveIt() {
        List<Path> files = javaFiles(SOURCES).stream().filter(f -> f.getParent().equals(SOURCES)).toList();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String source = read(file);
            assertThat(source).as("%s", file).doesNotContain("import io.eventthread.structured")
                    .doesNotContain("import io.eventthread.bridge");
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

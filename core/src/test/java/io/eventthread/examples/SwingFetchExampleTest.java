package io.eventthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import io.eventthread.examples.SwingFetchExample.FetchPanel;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.swing.SwingUtilities;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Swing example of docs/gui.md, headless (surefire sets {@code java.awt.headless=true}; the
 * AWT event queue and Swing's lightweight components need no display): the fetch runs on the loop,
 * its outcome — value, failure, cancellation — reaches the EDT, and no visible change is ever made
 * off the EDT.
 */
@Timeout(30)
class SwingFetchExampleTest {

    private static final long WAIT = TestLoops.WAIT.toMillis();

    private EventThread loops;
    private EventLoop loop;

    @BeforeAll
    static void headless() {
        assertThat(GraphicsEnvironment.isHeadless()).as("java.awt.headless").isTrue();
    }

    @BeforeEach
    void start() {
        loops = TestLoops.started("swing", 1);
        loop = loops.next();
    }

    @AfterEach
    void stop() {
        loops.close();
    }

    private static <T> T onEdt(Supplier<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> result.set(work.get()));
        return result.get();
    }

    /**
     * What a user would see change, recorded by listeners that run on the thread making the
     * change: every change, and those made off the EDT (there must be none).
     */
    static final class Screen {
        final List<String> changes = new CopyOnWriteArrayList<>();
        final List<String> offEdt = new CopyOnWriteArrayList<>();
        /** The status once the fetch button is enabled again: the fetch has settled. */
        final CompletableFuture<String> settled = new CompletableFuture<>();

        Screen(FetchPanel panel) {
            PropertyChangeListener changed = event -> record(event.getPropertyName() + "=" + event.getNewValue());
            panel.status.addPropertyChangeListener("text", changed);
            panel.cancel.addPropertyChangeListener("enabled", changed);
            panel.fetch.addPropertyChangeListener("enabled", event -> {
                record("fetch " + event.getPropertyName() + "=" + event.getNewValue());
                if (Boolean.TRUE.equals(event.getNewValue())) {
                    settled.complete(panel.status.getText());
                }
            });
            panel.result.getDocument().addDocumentListener(new DocumentListener() {
                @Override
                public void insertUpdate(DocumentEvent e) {
                    record("result inserted");
                }

                @Override
                public void removeUpdate(DocumentEvent e) {
                    record("result removed");
                }

                @Override
                public void changedUpdate(DocumentEvent e) {
                    record("result changed");
                }
            });
        }

        private void record(String change) {
            changes.add(change);
            if (!EventQueue.isDispatchThread() || EventLoop.current().isPresent()) {
                offEdt.add(Thread.currentThread().getName() + ": " + change);
            }
        }
    }

    /** A panel whose fetch records the loop it ran on and returns {@code reply}'s answer. */
    private FetchPanel panel(CompletableFuture<Optional<EventLoop>> fetchedOn,
            Function<EventLoop, CompletionStage<String>> reply) throws Exception {
        return onEdt(() -> new FetchPanel(loop, l -> {
            fetchedOn.complete(EventLoop.current());
            return reply.apply(l);
        }));
    }

    private static Screen click(FetchPanel panel) throws Exception {
        Screen screen = onEdt(() -> new Screen(panel));
        onEdt(() -> {
            panel.fetch.doClick(0);
            return null;
        });
        return screen;
    }

    @Test
    void theFetchRunsOnTheLoopAndTheResultIsShownOnTheEdt() throws Exception {
        CompletableFuture<Optional<EventLoop>> fetchedOn = new CompletableFuture<>();
        // the "network": a future a plain thread (this one) completes, as an HTTP client's would be
        CompletableFuture<String> reply = new CompletableFuture<>();
        FetchPanel panel = panel(fetchedOn, l -> reply);

        Screen screen = click(panel);

        assertThat(fetchedOn.get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
        assertThat(SwingFetchExampleTest.<String>onEdt(panel.status::getText)).isEqualTo("Loading...");
        assertThat(SwingFetchExampleTest.<Boolean>onEdt(panel.fetch::isEnabled)).isFalse();
        reply.complete("the data");

        assertThat(screen.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Ready");
        assertThat(SwingFetchExampleTest.<String>onEdt(panel.result::getText)).isEqualTo("the data");
        assertThat(screen.changes).contains("text=Loading...", "result inserted", "text=Ready");
        assertThat(screen.offEdt).isEmpty();
    }

    @Test
    void theTutorialsSimulatedFetchUsesTheLoopsTimer() throws Exception {
        CompletableFuture<Optional<EventLoop>> fetchedOn = new CompletableFuture<>();
        FetchPanel panel = panel(fetchedOn, l -> l.sleep(Duration.ofMillis(20)).thenApply(ignored -> "slept on "
                + EventLoop.current().map(EventLoop::name).orElse("no loop")));

        Screen screen = click(panel);

        assertThat(screen.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Ready");
        assertThat(SwingFetchExampleTest.<String>onEdt(panel.result::getText)).isEqualTo("slept on " + loop.name());
        assertThat(screen.offEdt).isEmpty();
    }

    @Test
    void aFailureOfTheFetchOrOfTheLoopCodeReachesTheEdt() throws Exception {
        FetchPanel failed = panel(new CompletableFuture<>(),
                l -> CompletableFuture.failedFuture(new IOException("host unreachable")));
        Screen screen = click(failed);
        assertThat(screen.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Error: host unreachable");
        assertThat(screen.offEdt).isEmpty();

        // a continuation on the loop that throws: the stage fails with a CompletionException around it
        FetchPanel thrown = panel(new CompletableFuture<>(), l -> l.sleep(Duration.ZERO).thenApply(ignored -> {
            throw new IllegalStateException("no route");
        }));
        Screen second = click(thrown);
        assertThat(second.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Error: no route");
        assertThat(second.offEdt).isEmpty();
    }

    @Test
    void cancelOnTheEdtCancelsTheLoopsWorkAndTheEdtShowsIt() throws Exception {
        CompletableFuture<Optional<EventLoop>> fetchedOn = new CompletableFuture<>();
        CompletableFuture<String> never = new CompletableFuture<>();
        FetchPanel panel = panel(fetchedOn, l -> never);
        Screen screen = click(panel);
        assertThat(fetchedOn.get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);

        onEdt(() -> {
            panel.cancel.doClick(0);
            return null;
        });

        assertThat(screen.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Cancelled");
        // cancelling the loop future cancels the work it mirrors: the future completes (and the EDT
        // may hear of it) just before the engine cancels the stage, so wait for that, bounded
        assertThatThrownBy(() -> never.get(WAIT, TimeUnit.MILLISECONDS)).isInstanceOf(CancellationException.class);
        assertThat(SwingFetchExampleTest.<Boolean>onEdt(panel.cancel::isEnabled)).isFalse();
        assertThat(screen.offEdt).isEmpty();
    }

    @Test
    void aShutdownWhileFetchingReachesTheEdtAsCancelled() throws Exception {
        CompletableFuture<Optional<EventLoop>> fetchedOn = new CompletableFuture<>();
        FetchPanel panel = panel(fetchedOn, l -> new CompletableFuture<>());
        Screen screen = click(panel);
        assertThat(fetchedOn.get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);

        // the window closes: the work still pending at the deadline is cancelled, and the EDT hears of it
        loops.shutdownGracefully(Duration.ofMillis(50)).get(WAIT, TimeUnit.MILLISECONDS);

        assertThat(screen.settled.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("Cancelled");
        assertThat(screen.offEdt).isEmpty();
    }

    /** docs/gui.md shows the panel as it is compiled here, so the page cannot drift from the code. */
    @Test
    void theDocsShowTheCompiledPanel() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/eventthread/examples/SwingFetchExample.java"));
        String docs = Files.readString(Path.of("../docs/gui.md"));
        for (String tag : List.of("panel", "main")) {
            String region = source.substring(source.indexOf("// tag::" + tag + "[]\n") + ("// tag::" + tag + "[]\n").length(),
                    source.indexOf("    // end::" + tag + "[]"));
            assertThat(docs).as("docs/gui.md shows the %s region of SwingFetchExample", tag).contains(dedent(region));
        }
    }

    private static String dedent(String region) {
        return Arrays.stream(region.split("\n", -1))
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(Collectors.joining("\n"));
    }
}

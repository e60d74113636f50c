package io.eventthread.examples;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import java.awt.BorderLayout;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;

/**
 * The GUI example of docs/gui.md (the Russian tutorial's Tk application in Swing): a button starts a
 * fetch on an event loop, and the result is shown on Swing's event dispatch thread. Run it with
 * {@code ./mvnw -q -pl core test-compile} and then
 * {@code java -cp core/target/classes:core/target/test-classes:$JCTOOLS_JAR io.eventthread.examples.SwingFetchExample};
 * {@code SwingFetchExampleTest} runs the same panel headless.
 */
public final class SwingFetchExample {

    private SwingFetchExample() {
    }

    // tag::panel[]
    /** Status, a fetch button, a cancel button and the result; every field is touched on the EDT only. */
    static final class FetchPanel extends JPanel {
        final JLabel status = new JLabel("Ready");
        final JButton fetch = new JButton("Fetch data");
        final JButton cancel = new JButton("Cancel");
        final JTextArea result = new JTextArea(10, 40);
        private final EventLoop loop;
        private final Function<EventLoop, CompletionStage<String>> source;
        private LoopFuture<String> pending;

        FetchPanel(EventLoop loop, Function<EventLoop, CompletionStage<String>> source) {
            super(new BorderLayout(0, 8));
            setBorder(BorderFactory.createEmptyBorder(8, 8, 8, 8));
            this.loop = loop;
            this.source = source;
            JPanel buttons = new JPanel();
            buttons.add(fetch);
            buttons.add(cancel);
            add(status, BorderLayout.NORTH);
            add(buttons, BorderLayout.CENTER);
            add(new JScrollPane(result), BorderLayout.SOUTH);
            cancel.setEnabled(false);
            fetch.addActionListener(click -> startFetch());
            cancel.addActionListener(click -> pending.cancel(true));
        }

        /** On the EDT: hands the fetch to the loop and asks for the outcome back on the EDT. */
        private void startFetch() {
            status.setText("Loading...");
            fetch.setEnabled(false);
            cancel.setEnabled(true);
            pending = loop.submitAsync(() -> source.apply(loop));           // runs on the loop thread
            pending.whenCompleteAsync(this::show, SwingUtilities::invokeLater); // comes back on the EDT
        }

        /** On the EDT: whatever the outcome — value, failure, cancellation (also by a shutdown). */
        private void show(String data, Throwable failure) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
                result.setText(data);
                status.setText("Ready");
            } else if (cause instanceof CancellationException) {
                status.setText("Cancelled");
            } else {
                status.setText("Error: " + cause.getMessage());
            }
            fetch.setEnabled(true);
            cancel.setEnabled(false);
        }
    }
    // end::panel[]

    // tag::main[]
    /** The tutorial's fetch: two seconds of simulated network, on the loop's timers (asyncio.sleep(2)). */
    static CompletionStage<String> simulatedFetch(EventLoop loop) {
        return loop.sleep(Duration.ofSeconds(2))
                .thenApply(ignored -> "Data loaded!\n" + "=".repeat(30) + "\nSample data...");
    }

    public static void main(String[] args) {
        EventThread loops = EventThread.builder().threadNamePrefix("fetch").build().start();
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame("EventThread + Swing");
            frame.add(new FetchPanel(loops.next(), SwingFetchExample::simulatedFetch));
            frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
            frame.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosed(WindowEvent closed) {
                    loops.shutdownGracefully(); // not close(): that would wait, and the EDT must not
                }
            });
            frame.pack();
            frame.setVisible(true);
        });
    }
    // end::main[]
}

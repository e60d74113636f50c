package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Semantics 2 and 3: failures do not kill the loop; they travel through futures or to the handler. */
@Timeout(20)
class FailureHandlingTest {

    private final List<Object[]> handled = new CopyOnWriteArrayList<>();

    private EventThread group() {
        return TestLoops.builder("fail")
                .uncaughtExceptionHandler((thread, failure) -> handled.add(new Object[] {thread.getName(), failure}))
                .build().start();
    }

    @Test
    void runnableThatThrowsGoesToTheHandlerAndTheNextTaskRuns() throws Exception {
        try (EventThread group = group()) {
            EventLoop loop = group.next();
            loop.execute(() -> {
                throw new IllegalStateException("first");
            });
            assertThat(loop.submit(() -> "second").get()).isEqualTo("second");
            assertThat(handled).hasSize(1);
            assertThat(handled.get(0)[0]).isEqualTo("fail-1");
            assertThat((Throwable) handled.get(0)[1]).hasMessage("first");
            assertThat(loop.stats().tasksFailed()).isEqualTo(1);
        }
    }

    @Test
    void errorsAreReportedAndTheLoopKeepsRunning() throws Exception {
        try (EventThread group = group()) {
            EventLoop loop = group.next();
            loop.execute(FailureHandlingTest::recurseForever);
            LoopFuture<Object> viaFuture = loop.submit(() -> {
                throw new AssertionError("error in a future");
            });
            assertThat(catchThrowable(viaFuture::get)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AssertionError.class);
            assertThat(loop.submit(() -> "alive").get()).isEqualTo("alive");
            assertThat(handled).extracting(h -> h[1].getClass().getSimpleName())
                    .containsExactly("StackOverflowError", "AssertionError");
        }
    }

    @Test
    void submittedTaskFailureTravelsThroughItsFutureNotTheHandler() throws Exception {
        try (EventThread group = group()) {
            LoopFuture<Object> f = group.next().submit(() -> {
                throw new java.io.IOException("disk");
            });
            assertThat(catchThrowable(() -> f.await(TestLoops.WAIT))).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(java.io.IOException.class);
            assertThat(handled).isEmpty();
        }
    }

    @Test
    void callSoonHandleFailureGoesToTheHandlerLikeExecute() throws Exception {
        try (EventThread group = group()) {
            EventLoop loop = group.next();
            loop.callSoon(() -> {
                throw new IllegalArgumentException("in handle");
            });
            TestLoops.sync(loop);
            assertThat(handled).extracting(h -> ((Throwable) h[1]).getMessage()).containsExactly("in handle");
        }
    }

    @Test
    void failuresNobodyReadAreInTheShutdownReportAndReadOnesAreNot() throws Exception {
        EventThread group = group();
        EventLoop loop = group.next();
        for (int i = 0; i < 3; i++) {
            int n = i;
            loop.submit(() -> {
                throw new IllegalStateException("unobserved " + n);
            });
        }
        LoopFuture<Object> read = loop.submit(() -> {
            throw new IllegalStateException("read");
        });
        LoopFuture<Object> chained = loop.submit(() -> {
            throw new IllegalStateException("chained");
        });
        chained.exceptionally(t -> null);
        assertThat(catchThrowable(read::join)).isInstanceOf(CompletionException.class);
        TestLoops.sync(loop);
        ShutdownReport report = group.shutdownGracefully(Duration.ofSeconds(5)).get();
        assertThat(report.unobservedFailures()).extracting(Throwable::getMessage)
                .containsExactly("unobserved 0", "unobserved 1", "unobserved 2");
        assertThat(report.outcome()).isEqualTo(ShutdownReport.Outcome.GRACEFUL);
    }

    @Test
    void handlerThatThrowsDoesNotKillTheLoop() throws Exception {
        try (EventThread group = TestLoops.builder("bad-handler").uncaughtExceptionHandler((t, e) -> {
            throw new IllegalStateException("handler broke");
        }).build().start()) {
            EventLoop loop = group.next();
            loop.execute(() -> {
                throw new IllegalStateException("task broke");
            });
            assertThat(loop.submit(() -> "still running").get()).isEqualTo("still running");
        }
    }

    @Test
    void callbackThatInterruptsTheLoopThreadDoesNotStopIt() throws Exception {
        try (EventThread group = group()) {
            EventLoop loop = group.next();
            loop.execute(() -> Thread.currentThread().interrupt());
            LoopFuture<String> later = loop.newFuture();
            loop.callLater(Duration.ofMillis(20), () -> later.complete("timer still fires"));
            assertThat(later.await(TestLoops.WAIT)).isEqualTo("timer still fires");
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        }
    }

    private static void recurseForever() {
        recurseForever();
    }
}

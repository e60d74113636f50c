package io.eventthread.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.TestLoops;
import java.io.Closeable;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
import kotlinx.coroutines.ExecutorsKt;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loop as a Kotlin coroutine dispatcher, {@code loop.asExecutorService().asCoroutineDispatcher()}
 * ({@code ExecutorsKt.from} is its JVM name). The coroutines are written in Java against
 * kotlinx-coroutines' API: a Java lambda {@code (scope, continuation) -> ...} is a suspend lambda,
 * and a suspend call in tail position ({@code return DelayKt.delay(ms, continuation)}) is its
 * suspension point. What runs after a suspension is observed with {@code Job.invokeOnCompletion},
 * which runs where the coroutine resumed and finished.
 */
@Timeout(30)
class KotlinCoroutinesInteropTest {

    private static final long WAIT = TestLoops.WAIT.toMillis();

    /** Kotlin's {@code GlobalScope.future(context) { block }}. */
    private static <T> CompletableFuture<T> future(CoroutineContext context,
            Function2<CoroutineScope, Continuation<? super T>, Object> block) {
        return FutureKt.future(GlobalScope.INSTANCE, context, CoroutineStart.DEFAULT, block);
    }

    /** Records, when the coroutine of {@code scope} finishes, which loop (if any) it finished on. */
    private static CompletableFuture<Optional<EventLoop>> finishedOn(CoroutineScope scope) {
        CompletableFuture<Optional<EventLoop>> seen = new CompletableFuture<>();
        JobKt.getJob(scope.getCoroutineContext()).invokeOnCompletion(cause -> {
            seen.complete(EventLoop.current());
            return Unit.INSTANCE;
        });
        return seen;
    }

    @Test
    void withContextRunsTheBlockOnTheLoopAndResumesThereAfterASuspension() throws Exception {
        try (EventThread group = TestLoops.started("kotlin-context", 1)) {
            EventLoop loop = group.next();
            ExecutorCoroutineDispatcher dispatcher = ExecutorsKt.from(loop.asExecutorService());
            CompletableFuture<Optional<EventLoop>> startedOn = new CompletableFuture<>();
            CompletableFuture<CompletableFuture<Optional<EventLoop>>> resumedOn = new CompletableFuture<>();
            CompletableFuture<String> reply = new CompletableFuture<>();
            // the awaited reply comes from a plain thread: resuming on the loop is the dispatcher's doing
            Thread replier = new Thread(() -> {
                startedOn.join();
                reply.complete("from " + Thread.currentThread().getName());
            }, "replier");
            replier.start();

            // runBlocking { withContext(dispatcher) { reply.await() } }
            String result = BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, outer) ->
                    BuildersKt.withContext(dispatcher, (inner, continuation) -> {
                        resumedOn.complete(finishedOn(inner));
                        startedOn.complete(EventLoop.current());
                        return FutureKt.await(reply, continuation);
                    }, outer));

            assertThat(result).isEqualTo("from replier");
            assertThat(startedOn.get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
            assertThat(resumedOn.get(WAIT, TimeUnit.MILLISECONDS).get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
        }
    }

    @Test
    void delayIsATimerOfTheLoopAndResumesOnTheLoop() throws Exception {
        try (EventThread group = TestLoops.started("kotlin-delay", 1)) {
            EventLoop loop = group.next();
            ExecutorCoroutineDispatcher dispatcher = ExecutorsKt.from(loop.asExecutorService());
            CompletableFuture<CompletableFuture<Optional<EventLoop>>> resumedOn = new CompletableFuture<>();
            CompletableFuture<Integer> timersWhileDelayed = new CompletableFuture<>();
            assertThat(loop.stats().pendingTimers()).isZero();

            // launch(dispatcher) { delay(300) }
            CompletableFuture<Object> delayed = future(dispatcher, (scope, continuation) -> {
                resumedOn.complete(finishedOn(scope));
                Object suspended = DelayKt.delay(300, continuation);
                // still on the loop thread, which the timer needs to fire: it cannot have fired yet
                timersWhileDelayed.complete(loop.stats().pendingTimers());
                return suspended;
            });

            assertThat(timersWhileDelayed.get(WAIT, TimeUnit.MILLISECONDS)).as("the delay, as a timer of the loop")
                    .isEqualTo(1);

            delayed.get(WAIT, TimeUnit.MILLISECONDS);
            assertThat(resumedOn.get(WAIT, TimeUnit.MILLISECONDS).get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
            assertThat(loop.stats().pendingTimers()).isZero();
        }
    }

    @Test
    void cancellingTheCoroutineRemovesItsDelayTimerFromTheLoop() throws Exception {
        try (EventThread group = TestLoops.started("kotlin-cancel", 1)) {
            EventLoop loop = group.next();
            ExecutorCoroutineDispatcher dispatcher = ExecutorsKt.from(loop.asExecutorService());
            CompletableFuture<CompletableFuture<Optional<EventLoop>>> finished = new CompletableFuture<>();
            CompletableFuture<Integer> timersWhileDelayed = new CompletableFuture<>();
            CompletableFuture<Object> delayed = future(dispatcher, (scope, continuation) -> {
                finished.complete(finishedOn(scope));
                Object suspended = DelayKt.delay(TimeUnit.HOURS.toMillis(1), continuation);
                timersWhileDelayed.complete(loop.stats().pendingTimers());
                return suspended;
            });
            assertThat(timersWhileDelayed.get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo(1);

            assertThat(delayed.cancel(true)).isTrue(); // cancels the coroutine's job

            // the job's cancellation finishes the coroutine on the loop, and the hour-long timer is gone
            assertThat(finished.get(WAIT, TimeUnit.MILLISECONDS).get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
            TestLoops.sync(loop);
            assertThat(loop.stats().pendingTimers()).as("the cancelled delay's timer").isZero();
        }
    }

    @Test
    void closingADispatcherOverTheLoopsViewLeavesTheGroupRunning() throws Exception {
        try (EventThread group = TestLoops.started("kotlin-close", 1)) {
            EventLoop loop = group.next();
            ScheduledExecutorService view = loop.asExecutorService();
            ExecutorCoroutineDispatcher dispatcher = ExecutorsKt.from(view);
            CompletableFuture<Optional<EventLoop>> ranOn = future(dispatcher, (scope, continuation) -> EventLoop.current());
            assertThat(ranOn.get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);

            dispatcher.close(); // Kotlin's close() is shutdown() of the executor it wraps: here, the view

            assertThat(view.isShutdown()).isTrue();
            assertThat(group.isShutdown()).isFalse();
            assertThat(loop.submit(() -> "still running").get(WAIT, TimeUnit.MILLISECONDS)).isEqualTo("still running");
            // a coroutine started on the closed dispatcher is rejected by the view: cancelled, never run
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<Object> late = future(dispatcher, (scope, continuation) -> ran.getAndSet(true));
            assertThat(late).failsWithin(WAIT, TimeUnit.MILLISECONDS)
                    .withThrowableOfType(CancellationException.class);
            assertThat(ran).isFalse();
        }
    }

    @Test
    void aDispatcherOverTheLoopItselfIsSafeToCloseButDelaysOnKotlinsOwnTimer() throws Exception {
        try (EventThread group = TestLoops.started("kotlin-plain", 1)) {
            EventLoop loop = group.next();
            // loop.asCoroutineDispatcher(): the loop is a plain Executor, which Kotlin cannot shut down
            CoroutineDispatcher dispatcher = ExecutorsKt.from(loop);
            ((Closeable) dispatcher).close();

            assertThat(group.isShutdown()).isFalse();
            CompletableFuture<CompletableFuture<Optional<EventLoop>>> resumedOn = new CompletableFuture<>();
            CompletableFuture<Integer> timersWhileDelayed = new CompletableFuture<>();
            CompletableFuture<Object> delayed = future(dispatcher, (scope, continuation) -> {
                resumedOn.complete(finishedOn(scope));
                Object suspended = DelayKt.delay(300, continuation);
                timersWhileDelayed.complete(loop.stats().pendingTimers());
                return suspended;
            });
            // without a ScheduledExecutorService, kotlinx keeps the delay on its own timer thread ...
            assertThat(timersWhileDelayed.get(WAIT, TimeUnit.MILLISECONDS)).isZero();
            delayed.get(WAIT, TimeUnit.MILLISECONDS);
            // ... and then resumes the coroutine on the loop
            assertThat(resumedOn.get(WAIT, TimeUnit.MILLISECONDS).get(WAIT, TimeUnit.MILLISECONDS)).containsSame(loop);
        }
    }
}

package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every stage a LoopFuture makes is, statically and at run time, a LoopFuture of the same loop. */
@Timeout(20)
class LoopFutureStagesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final EventThread group = TestLoops.started("stages", 2);
    private final EventLoop loop = group.loops().get(0);
    private final EventLoop other = group.loops().get(1);

    @AfterEach
    void close() {
        group.close();
    }

    @Test
    void submitThenApplyAwaitCompilesWithoutACastAndStaysOnTheLoop() throws Exception {
        assertThat(loop.submit(() -> 20).thenApply(n -> n + 1).await(WAIT)).isEqualTo(21);
        LoopFuture<Integer> applied = loop.submit(() -> 20).thenApply(n -> n + 1);
        assertThat(applied.loop()).isSameAs(loop);
        // a plain continuation runs where the stage completes (here, or on the loop if it was not
        // done yet); the async one, without an executor, always on the loop
        assertThat(applied.thenApplyAsync(n -> n + "@" + Thread.currentThread().getName()).await(WAIT))
                .isEqualTo("21@" + loop.name());
    }

    @Test
    void everyFamilyReturnsALoopFutureOfTheSameLoopAndItsAsyncStagesRunThere() throws Exception {
        LoopFuture<Integer> source = loop.submit(() -> 1);
        LoopFuture<Integer> second = other.submit(() -> 2);
        List<LoopFuture<?>> stages = new ArrayList<>();
        stages.add(source.thenApplyAsync(n -> onLoop(n)));
        stages.add(source.thenAcceptAsync(n -> onLoop(n)));
        stages.add(source.thenRunAsync(() -> onLoop(0)));
        stages.add(source.thenCombineAsync(second, (a, b) -> onLoop(a + b)));
        stages.add(source.thenAcceptBothAsync(second, (a, b) -> onLoop(a)));
        stages.add(source.runAfterBothAsync(second, () -> onLoop(0)));
        stages.add(source.applyToEitherAsync(second, n -> onLoop(n)));
        stages.add(source.acceptEitherAsync(second, n -> onLoop(n)));
        stages.add(source.runAfterEitherAsync(second, () -> onLoop(0)));
        stages.add(source.thenComposeAsync(n -> CompletableFuture.completedFuture(onLoop(n))));
        stages.add(source.handleAsync((n, t) -> onLoop(n)));
        stages.add(source.whenCompleteAsync((n, t) -> onLoop(n)));
        stages.add(source.exceptionallyAsync(t -> onLoop(-1)));
        stages.add(source.exceptionallyComposeAsync(t -> CompletableFuture.completedFuture(-1)));
        stages.add(source.thenApply(n -> n).exceptionally(t -> -1).exceptionallyCompose(t -> null).copy());
        stages.add(loop.<Integer>newFuture().completeOnTimeout(7, 10, TimeUnit.MILLISECONDS).thenApplyAsync(this::onLoop));
        stages.add(loop.<Integer>newFuture().orTimeout(10, TimeUnit.MILLISECONDS).handleAsync((n, t) -> onLoop(0)));
        stages.add(loop.<Integer>newFuture().completeAsync(() -> onLoop(3)));
        LoopFuture<Integer> viaInterface = (LoopFuture<Integer>) ((CompletionStage<Integer>) source).thenApply(n -> n);
        stages.add(viaInterface.toCompletableFuture());
        for (LoopFuture<?> stage : stages) {
            assertThat(stage.loop()).as("%s belongs to the source's loop", stage).isSameAs(loop);
            stage.await(WAIT); // onLoop throws (failing the stage) if a continuation ran off the loop
        }
    }

    @Test
    void eitherStagesAreOfThisLoopEvenWhenTheOtherStageIsADoneForeignFuture() throws Exception {
        CompletableFuture<Integer> done = CompletableFuture.completedFuture(5);
        LoopFuture<Integer> pending = loop.newFuture();
        List<LoopFuture<?>> stages = List.of(
                pending.applyToEither(done, n -> n + 1),
                pending.applyToEitherAsync(done, n -> onLoop(n + 1)),
                pending.acceptEither(done, n -> { }),
                pending.acceptEitherAsync(done, n -> onLoop(n)),
                pending.runAfterEither(done, () -> { }),
                pending.runAfterEitherAsync(done, () -> onLoop(0)),
                pending.applyToEither(other.submit(() -> 7), n -> n));
        for (LoopFuture<?> stage : stages) {
            assertThat(stage.loop()).isSameAs(loop);
            stage.await(WAIT);
        }
        assertThat(pending.applyToEither(done, n -> n * 2).await(WAIT)).isEqualTo(10);
        LoopFuture<Integer> failing = loop.<Integer>newFuture().applyToEither(done, n -> {
            throw new IllegalStateException("boom");
        });
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> failing.await(WAIT)))
                .isInstanceOf(java.util.concurrent.CompletionException.class).cause().hasMessage("boom");
        pending.complete(1);
    }

    @Test
    void noMethodReturningANewStageIsLeftWithACompletableFutureReturnType() {
        List<String> plain = new ArrayList<>();
        for (Method m : LoopFuture.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.isBridge() && !m.isSynthetic()
                    && m.getReturnType() == CompletableFuture.class) {
                plain.add(m.toString());
            }
        }
        assertThat(plain).isEmpty();
    }

    private Integer onLoop(Integer n) {
        if (!loop.inEventLoop()) {
            throw new AssertionError("ran on " + Thread.currentThread().getName() + ", not " + loop.name());
        }
        return n;
    }
}

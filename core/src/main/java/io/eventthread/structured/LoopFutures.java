package io.eventthread.structured;

import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Combining stages into loop futures: asyncio's {@code gather} and {@code as_completed}. The
 * stages may come from anywhere (other loops, the blocking pool, a {@code CompletableFuture} of an
 * HTTP client); the futures returned here belong to the given loop and complete on it, so their
 * plain continuations are loop-confined.
 *
 * <pre>{@code
 * LoopFuture<List<Page>> pages = LoopFutures.gather(loop, fetch(a), fetch(b), fetch(c));
 *
 * for (LoopFuture<Page> next : LoopFutures.asCompleted(loop, List.of(fetch(a), fetch(b)))) {
 *     System.out.println(next.await(Duration.ofSeconds(5)).size());   // earliest first
 * }
 * }</pre>
 *
 * <p>To cancel the rest when one fails, start the stages in a {@link TaskGroup}: a gather, like
 * asyncio's, leaves the other stages running when it fails fast.
 */
public final class LoopFutures {

    private LoopFutures() {
    }

    /**
     * The results of every stage, in the order given: asyncio {@code gather}. Fails fast with the
     * first failure, leaving the other stages running. Cancelling the returned future cancels
     * every stage. No stages give an empty list at once.
     * @param loop the loop the result belongs to
     * @param stages the stages
     * @param <T> the result type
     * @return a future of the results, completed on {@code loop}
     */
    public static <T> LoopFuture<List<T>> gather(EventLoop loop, Collection<? extends CompletionStage<? extends T>> stages) {
        List<CompletableFuture<? extends T>> futures = futures(loop, stages);
        LoopFuture<List<T>> result = loop.newFuture();
        AtomicInteger left = new AtomicInteger(futures.size());
        for (CompletableFuture<? extends T> f : futures) {
            f.whenComplete((value, failure) -> {
                if (failure != null) {
                    completeOn(result, null, TaskGroup.unwrap(failure));
                } else if (left.decrementAndGet() == 0) {
                    List<T> values = new ArrayList<>(futures.size());
                    futures.forEach(done -> values.add(done.join()));
                    completeOn(result, values, null);
                }
            });
        }
        if (futures.isEmpty()) {
            completeOn(result, List.of(), null);
        }
        cancelAllWhenCancelled(result, futures);
        return result;
    }

    /**
     * The results of every stage, in the order given; see {@link #gather(EventLoop, Collection)}.
     * @param loop the loop the result belongs to
     * @param stages the stages
     * @param <T> the result type
     * @return a future of the results, completed on {@code loop}
     */
    @SafeVarargs
    public static <T> LoopFuture<List<T>> gather(EventLoop loop, CompletionStage<? extends T>... stages) {
        return gather(loop, Arrays.asList(Objects.requireNonNull(stages, "stages")));
    }

    /**
     * How every stage ended, in the order given, once all are done: asyncio
     * {@code gather(..., return_exceptions=True)}. It never fails, except when cancelled, which
     * cancels every stage.
     * @param loop the loop the result belongs to
     * @param stages the stages
     * @param <T> the result type
     * @return a future of the outcomes, completed on {@code loop}
     */
    public static <T> LoopFuture<List<Settled<T>>> gatherSettled(EventLoop loop,
            Collection<? extends CompletionStage<? extends T>> stages) {
        List<CompletableFuture<? extends T>> futures = futures(loop, stages);
        LoopFuture<List<Settled<T>>> result = loop.newFuture();
        AtomicInteger left = new AtomicInteger(futures.size());
        for (CompletableFuture<? extends T> f : futures) {
            f.whenComplete((value, failure) -> {
                if (left.decrementAndGet() == 0) {
                    List<Settled<T>> outcomes = new ArrayList<>(futures.size());
                    for (CompletableFuture<? extends T> done : futures) {
                        outcomes.add(done.handle((v, t) -> new Settled<T>(v, TaskGroup.unwrap(t))).join());
                    }
                    completeOn(result, outcomes, null);
                }
            });
        }
        if (futures.isEmpty()) {
            completeOn(result, List.of(), null);
        }
        cancelAllWhenCancelled(result, futures);
        return result;
    }

    /**
     * One future per stage, in completion order: the first completes as the earliest stage does,
     * with its outcome, and so on — asyncio {@code as_completed}. Each completes on {@code loop}.
     * Iterating and waiting on each in turn (from a plain thread with
     * {@link LoopFuture#await}, or on the loop by chaining) sees the stages as they finish.
     * @param loop the loop the futures belong to
     * @param stages the stages
     * @param <T> the result type
     * @return futures in completion order, as many as stages
     */
    public static <T> List<LoopFuture<T>> asCompleted(EventLoop loop, Collection<? extends CompletionStage<? extends T>> stages) {
        List<CompletableFuture<? extends T>> futures = futures(loop, stages);
        List<LoopFuture<T>> slots = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            slots.add(loop.newFuture());
        }
        // the slot is taken when the stage completes, on the completing thread: completion order
        AtomicInteger next = new AtomicInteger();
        for (CompletableFuture<? extends T> f : futures) {
            f.whenComplete((value, failure) -> {
                LoopFuture<T> slot = slots.get(next.getAndIncrement());
                completeOn(slot, value, failure == null ? null : TaskGroup.unwrap(failure));
            });
        }
        return List.copyOf(slots);
    }

    private static <T> List<CompletableFuture<? extends T>> futures(EventLoop loop,
            Collection<? extends CompletionStage<? extends T>> stages) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(stages, "stages");
        List<CompletableFuture<? extends T>> futures = new ArrayList<>(stages.size());
        int i = 0;
        for (CompletionStage<? extends T> stage : stages) {
            futures.add(Objects.requireNonNull(stage, "stages[" + i + "]").toCompletableFuture());
            i++;
        }
        return futures;
    }

    private static void cancelAllWhenCancelled(CompletableFuture<?> result, List<? extends CompletableFuture<?>> futures) {
        result.whenComplete((v, t) -> {
            if (result.isCancelled()) {
                futures.forEach(f -> f.cancel(true));
            }
        });
    }

    /**
     * Completes on the loop, so plain continuations of the result run there, through the loop's
     * own way back ({@link LoopFuture#completeOnLoop}): accepted while the loop drains, never a
     * rejection, never handed back by an immediate shutdown.
     */
    static <T> void completeOn(LoopFuture<T> target, T value, Throwable failure) {
        if (failure == null) {
            target.completeOnLoop(value);
        } else {
            target.completeExceptionallyOnLoop(failure);
        }
    }
}

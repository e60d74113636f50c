package io.eventthread.structured;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * How one stage ended, from {@link LoopFutures#gatherSettled}: asyncio's
 * {@code gather(..., return_exceptions=True)} entry.
 *
 * @param value the result, {@code null} if it failed (or its result was {@code null})
 * @param failure what it failed with (a {@link CancellationException} if cancelled), {@code null}
 *        if it succeeded
 * @param <T> the result type
 */
public record Settled<T>(T value, Throwable failure) {

    /**
     * Whether the stage completed normally.
     * @return {@code true} without a failure
     */
    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * Whether the stage was cancelled.
     * @return {@code true} if its failure is a {@link CancellationException}
     */
    public boolean isCancelled() {
        return failure instanceof CancellationException;
    }

    /**
     * The value, or the failure thrown.
     * @return the value
     * @throws CancellationException if the stage was cancelled
     * @throws CompletionException wrapping any other failure
     */
    public T get() {
        if (failure == null) {
            return value;
        }
        if (failure instanceof CancellationException c) {
            throw c;
        }
        throw new CompletionException(failure);
    }
}

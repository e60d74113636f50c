package io.eventthread.bridge;

import io.eventthread.ClosedException;
import io.eventthread.EventLoop;
import io.eventthread.LoopFuture;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Named asynchronous operations on one loop, callable as plain blocking calls from ordinary
 * threads: a blocking facade over asynchronous handlers.
 *
 * <pre>{@code
 * record Sum(int x, int y) {}
 *
 * LoopService service = LoopService.on(loop)
 *         .handle("fetch", String.class, url -> client.fetchAsync(url))
 *         .handle("compute", Sum.class, s -> loop.sleep(Duration.ofMillis(50)).thenApply(v -> s.x() + s.y()))
 *         .build();
 *
 * Page page = service.call("fetch", "https://api.example.com", Duration.ofSeconds(5));
 * int sum = service.call("compute", new Sum(10, 20), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Each handler runs on the loop and returns a {@link CompletionStage}; one argument per call
 * (use a record for several). {@link #call} waits for the stage on the calling thread:
 * <ul>
 *   <li>an unknown operation, or an argument of the wrong type, throws
 *       {@link IllegalArgumentException} at once, naming what is known or expected;</li>
 *   <li>a handler that throws or whose stage fails makes {@code call} throw
 *       {@link CompletionException} with that failure as the cause, as
 *       {@link LoopFuture#await(Duration)} does;</li>
 *   <li>if the time runs out, the loop-side work is cancelled (its stage is cancelled) and
 *       {@code call} throws {@link TimeoutException};</li>
 *   <li>on the loop thread {@code call} fails fast with {@link io.eventthread.BlockingOperationException}: loop code
 *       uses {@link #callAsync} and chains on the future.</li>
 * </ul>
 * The result type is inferred from the assignment, like an untyped result: a mismatch shows
 * up as a {@link ClassCastException} at the caller.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LoopService {

    private final EventLoop loop;
    private final Map<String, Handler<?>> handlers;

    private LoopService(EventLoop loop, Map<String, Handler<?>> handlers) {
        this.loop = loop;
        this.handlers = Collections.unmodifiableMap(new LinkedHashMap<>(handlers));
    }

    /**
     * Starts describing a service whose handlers run on {@code loop}.
     * @param loop the loop
     * @return a builder
     */
    public static Builder on(EventLoop loop) {
        return new Builder(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * Runs an operation on the loop and waits for its result.
     * @param operation the operation's name
     * @param argument its argument; may be {@code null}
     * @param timeout the longest wait; the work is cancelled when it runs out
     * @param <R> the result type, as the handler produces it
     * @return the result
     * @throws IllegalArgumentException if no handler has that name, or the argument has the wrong type
     * @throws CompletionException with the handler's failure as the cause
     * @throws CancellationException if the work was cancelled (for instance by the group's shutdown)
     * @throws TimeoutException if it did not complete in time; it has been cancelled
     * @throws InterruptedException if interrupted while waiting; the work has been cancelled
     * @throws RejectedExecutionException if the loop does not accept work (not started, shut down)
     * @throws io.eventthread.BlockingOperationException on the loop thread: use {@link #callAsync} there
     */
    public <R> R call(String operation, Object argument, Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        Bridges.requireOffLoop(loop, "LoopService.call(\"" + operation + "\")", "callAsync()");
        LoopFuture<R> result = callAsync(operation, argument);
        try {
            return result.await(timeout);
        } catch (TimeoutException timedOut) {
            if (result.cancel(true)) {
                TimeoutException withContext = new TimeoutException("operation '" + operation + "' on loop '"
                        + loop.name() + "' did not complete within " + timeout + "; it was cancelled");
                withContext.initCause(timedOut);
                throw withContext;
            }
            return result.getNow(null); // it finished as the time ran out: the result is better than a timeout
        } catch (InterruptedException interrupted) {
            result.cancel(true);
            throw interrupted;
        } catch (RuntimeException | Error failed) {
            // whatever ends the wait early, the submitted operation must not be left running
            result.cancel(true);
            throw failed;
        }
    }

    /**
     * Starts an operation on the loop. May be called from any thread, the loop's included.
     * @param operation the operation's name
     * @param argument its argument; may be {@code null}
     * @param <R> the result type, as the handler produces it
     * @return a future completed on the loop with the handler's outcome; cancelling it cancels the
     *         handler's stage
     * @throws IllegalArgumentException if no handler has that name, or the argument has the wrong type
     * @throws RejectedExecutionException if the loop does not accept work (not started, shut down)
     */
    public <R> LoopFuture<R> callAsync(String operation, Object argument) {
        Objects.requireNonNull(operation, "operation");
        Handler<?> handler = handlers.get(operation);
        if (handler == null) {
            throw new IllegalArgumentException("no handler '" + operation + "'; known: " + handlers.keySet());
        }
        handler.check(operation, argument);
        @SuppressWarnings("unchecked")
        Handler<R> typed = (Handler<R>) handler;
        return loop.submitAsync(() -> typed.apply(argument));
    }

    /**
     * The names of the operations, in the order they were registered.
     * @return an unmodifiable set
     */
    public Set<String> operations() {
        return handlers.keySet();
    }

    @Override
    public String toString() {
        return "LoopService[" + loop.name() + ", " + handlers.keySet() + "]";
    }

    /** Collects the handlers of a {@link LoopService}. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {

        private final EventLoop loop;
        private final Map<String, Handler<?>> handlers = new LinkedHashMap<>();

        private Builder(EventLoop loop) {
            this.loop = loop;
        }

        /**
         * Registers an operation.
         * @param operation its name, unique in the service
         * @param argumentType the type of its argument; a primitive type means its wrapper
         * @param handler runs on the loop and returns the stage of the result
         * @param <A> the argument type
         * @return this builder
         * @throws IllegalArgumentException if the name is already taken
         */
        public <A> Builder handle(String operation, Class<A> argumentType,
                Function<? super A, ? extends CompletionStage<?>> handler) {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(argumentType, "argumentType");
            Objects.requireNonNull(handler, "handler");
            if (handlers.containsKey(operation)) {
                throw new IllegalArgumentException("operation '" + operation + "' is already registered");
            }
            handlers.put(operation, new Handler<>(argumentType, handler));
            return this;
        }

        /**
         * Creates the service.
         * @return an immutable service
         */
        public LoopService build() {
            return new LoopService(loop, handlers);
        }
    }

    /** One operation: its argument type, checked on the caller's thread, and its function. */
    private static final class Handler<R> {

        private final Class<?> argumentType;
        private final Function<Object, ? extends CompletionStage<?>> function;

        @SuppressWarnings("unchecked")
        <A> Handler(Class<A> argumentType, Function<? super A, ? extends CompletionStage<?>> function) {
            this.argumentType = MethodType.methodType(argumentType).wrap().returnType();
            this.function = (Function<Object, ? extends CompletionStage<?>>) function;
        }

        void check(String operation, Object argument) {
            if (argument != null && !argumentType.isInstance(argument)) {
                throw new IllegalArgumentException("operation '" + operation + "' takes "
                        + argumentType.getSimpleName() + ", got " + argument.getClass().getName());
            }
        }

        @SuppressWarnings("unchecked")
        CompletionStage<R> apply(Object argument) {
            return (CompletionStage<R>) function.apply(argument);
        }
    }
}

package io.eventthread.reliability;

import io.eventthread.TimerShutdownPolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a random program: plain data, so jqwik can shrink a failing program to a short,
 * readable one. Each producer thread runs its own list of steps, in order.
 */
sealed interface Op {

    /** {@code loop.execute(plain Runnable)}. */
    record Execute() implements Op {
        @Override
        public String toString() {
            return "execute";
        }
    }

    /** {@code loop.submit(callable)}; the callable throws if {@code fails}. */
    record Submit(boolean fails) implements Op {
        @Override
        public String toString() {
            return fails ? "submit(throws)" : "submit";
        }
    }

    /** {@code loop.submitAsync(...)} whose stage is a {@code loop.sleep(sleepMillis)}. */
    record SubmitAsync(int sleepMillis) implements Op {
        @Override
        public String toString() {
            return "submitAsync(sleep " + sleepMillis + "ms)";
        }
    }

    /** {@code loop.runBlocking(...)} that sleeps {@code millis} on the blocking pool. */
    record RunBlocking(int millis) implements Op {
        @Override
        public String toString() {
            return "runBlocking(" + millis + "ms)";
        }
    }

    /** {@code loop.callLater(delayMillis, ...)}. */
    record CallLater(int delayMillis) implements Op {
        @Override
        public String toString() {
            return "callLater(" + delayMillis + "ms)";
        }
    }

    /** {@code loop.callAt(loop.time() + offsetMillis, ...)}; negative offsets are in the past. */
    record CallAt(int offsetMillis) implements Op {
        @Override
        public String toString() {
            return "callAt(now" + (offsetMillis >= 0 ? "+" : "") + offsetMillis + "ms)";
        }
    }

    /** Cancels this producer's {@code target}-th earlier cancellable step (modulo their number). */
    record Cancel(int target) implements Op {
        @Override
        public String toString() {
            return "cancel(#" + target + ")";
        }
    }

    /** {@code group.shutdownGracefully(timeoutMillis)} at this point of this producer's run. */
    record Shutdown(int timeoutMillis) implements Op {
        @Override
        public String toString() {
            return "shutdownGracefully(" + timeoutMillis + "ms)";
        }
    }

    /** A whole program: the timer policy and one list of steps per producer thread. */
    record Program(TimerShutdownPolicy policy, List<List<Op>> producers) {
        int size() {
            return producers.stream().mapToInt(List::size).sum();
        }

        long shutdowns() {
            return producers.stream().flatMap(List::stream).filter(op -> op instanceof Shutdown).count();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Program[" + policy + "]");
            for (int p = 0; p < producers.size(); p++) {
                s.append("\n  producer ").append(p).append(": ")
                        .append(producers.get(p).stream().map(Op::toString).collect(Collectors.joining(", ")));
            }
            return s.toString();
        }
    }
}

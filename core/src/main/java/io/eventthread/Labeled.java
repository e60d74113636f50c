package io.eventthread;

import java.util.Objects;
import java.util.concurrent.Callable;

/** Tasks that describe themselves by a label given at submission. */
final class Labeled {

    private Labeled() {
    }

    record LabeledRunnable(String label, Runnable task) implements Runnable {
        LabeledRunnable {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(task, "task");
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    record LabeledCallable<T>(String label, Callable<T> task) implements Callable<T> {
        LabeledCallable {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(task, "task");
        }

        @Override
        public T call() throws Exception {
            return task.call();
        }

        @Override
        public String toString() {
            return label;
        }
    }
}

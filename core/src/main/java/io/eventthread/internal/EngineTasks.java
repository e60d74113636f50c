package io.eventthread.internal;

/**
 * Engine tasks for the other packages of the library (the bridges): a request sent to a loop
 * with its termination contract, so that a termination sweep answers its caller instead of
 * mistaking it for a user's never-started task.
 */
public final class EngineTasks {

    private EngineTasks() {
    }

    /**
     * A request to run on a loop, through a {@code LoopFuture}'s default executor.
     * @param onLoop what to do on the loop
     * @param atTermination what to do instead if the loop terminates first: answer the caller
     * @return the task to hand to the executor
     */
    public static Runnable request(Runnable onLoop, Runnable atTermination) {
        return new InternalTask() {
            @Override
            public void run() {
                onLoop.run();
            }

            @Override
            public void runAtTermination() {
                atTermination.run();
            }

            @Override
            public String toString() {
                return "engine request " + onLoop;
            }
        };
    }
}

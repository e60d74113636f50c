package io.eventthread.reliability;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopFuture;
import io.eventthread.LoopHandle;
import io.eventthread.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a random {@link Op.Program} against a fresh one-loop group: one thread per producer, all
 * released together, then a final shutdown if the program had none. Records what happened in
 * {@link Entry}s for {@link ModelChecker}.
 */
final class ProgramRunner {

    /** Timeout of the shutdown the runner adds when the program has none: ample for its work. */
    static final Duration FINAL_TIMEOUT = Duration.ofSeconds(5);

    final Op.Program program;
    final EventThread group;
    final EventLoop loop;
    final List<List<Entry>> entries = new ArrayList<>();
    /** Loop-thread work in the order the loop ran it. */
    final List<Entry> runLog = Collections.synchronizedList(new ArrayList<>());
    /** Every shutdown call's result, with the nanoTime of the call and its timeout. */
    final List<ShutdownCall> shutdowns = Collections.synchronizedList(new ArrayList<>());
    ShutdownReport report;
    List<Runnable> neverStarted;
    boolean finalShutdownByRunner;

    record ShutdownCall(long calledAt, Duration timeout, CompletableFuture<ShutdownReport> result) {
    }

    ProgramRunner(Op.Program program) {
        this.program = program;
        this.group = Loops.builder("model").timerShutdownPolicy(program.policy()).build().start();
        this.loop = group.next();
        for (int p = 0; p < program.producers().size(); p++) {
            List<Entry> list = new ArrayList<>();
            List<Op> ops = program.producers().get(p);
            for (int i = 0; i < ops.size(); i++) {
                list.add(new Entry(p, i, ops.get(i)));
            }
            entries.add(list);
        }
    }

    /** Runs the program to the group's termination; every wait is bounded. */
    void run() throws Exception {
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (List<Entry> producer : entries) {
                Thread t = new Thread(() -> {
                    Loops.await(go);
                    for (Entry e : producer) {
                        step(e, producer);
                    }
                }, "producer-" + threads.size());
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(Loops.WAIT.toMillis());
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " still submitting after " + Loops.WAIT);
                }
            }
            if (shutdowns.isEmpty()) {
                finalShutdownByRunner = true;
                shutdown(FINAL_TIMEOUT);
            }
            ShutdownCall first = shutdowns.get(0);
            // the report is due within timeout + 200 ms grace; the rest is slack for a loaded machine
            report = first.result().get(first.timeout().toMillis() + 200 + Loops.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            neverStarted = group.shutdownNow(); // after termination: the complete never-started list
        } finally {
            Loops.closeQuietly(group);
        }
    }

    private void shutdown(Duration timeout) {
        synchronized (shutdowns) {
            // recorded in call order, so that shutdowns.get(0) is the call that set the deadline
            long at = System.nanoTime();
            shutdowns.add(new ShutdownCall(at, timeout, group.shutdownGracefully(timeout)));
        }
    }

    private void step(Entry e, List<Entry> producer) {
        e.before = loop.time();
        try {
            if (e.op instanceof Op.Execute) {
                Runnable r = () -> ran(e);
                e.plain = r;
                loop.execute(r);
            } else if (e.op instanceof Op.Submit s) {
                e.future = loop.submit(() -> {
                    ran(e);
                    if (s.fails()) {
                        throw new IllegalStateException("planned failure of " + e);
                    }
                    return e.index;
                });
            } else if (e.op instanceof Op.SubmitAsync a) {
                e.future = loop.submitAsync(() -> {
                    ran(e);
                    return loop.sleep(Duration.ofMillis(a.sleepMillis()));
                });
            } else if (e.op instanceof Op.RunBlocking b) {
                e.future = loop.runBlocking(() -> {
                    e.runs.incrementAndGet(); // not loop work: no log position
                    Thread.sleep(b.millis());
                    return null;
                });
            } else if (e.op instanceof Op.CallLater c) {
                long lo = loop.time();
                LoopHandle h = loop.callLater(Duration.ofMillis(c.delayMillis()), () -> ran(e));
                long hi = loop.time();
                e.handle = h;
                e.deadlineLo = lo + Duration.ofMillis(c.delayMillis()).toNanos();
                e.deadlineHi = hi + Duration.ofMillis(c.delayMillis()).toNanos();
            } else if (e.op instanceof Op.CallAt c) {
                long lo = loop.time();
                long at = lo + Duration.ofMillis(c.offsetMillis()).toNanos();
                LoopHandle h = loop.callAt(at, () -> ran(e));
                long hi = loop.time();
                e.handle = h;
                // a due time in the past means "now", some time during the call
                e.deadlineLo = Math.max(at, lo);
                e.deadlineHi = Math.max(at, hi);
            } else if (e.op instanceof Op.Cancel c) {
                cancel(c, producer.subList(0, e.index));
            } else if (e.op instanceof Op.Shutdown s) {
                shutdown(Duration.ofMillis(s.timeoutMillis()));
            }
            e.accepted = !(e.op instanceof Op.Cancel || e.op instanceof Op.Shutdown);
            if (e.future instanceof CompletableFuture<?> f) {
                // the checker reads every outcome, but only after termination: mark the planned
                // failures observed now, so each try does not log "never retrieved" warnings
                f.whenComplete((value, failure) -> { });
            }
        } catch (RejectedExecutionException rejected) {
            e.rejected = true;
            e.rejectedWhileRunning = !group.isShutdown();
        } catch (Throwable t) {
            e.unexpected = t;
        }
        e.after = loop.time();
    }

    private static void cancel(Op.Cancel c, List<Entry> earlier) {
        List<Entry> cancellable = earlier.stream().filter(x -> x.accepted && x.isCancellable()).toList();
        if (cancellable.isEmpty()) {
            return;
        }
        Entry target = cancellable.get(Math.floorMod(c.target(), cancellable.size()));
        target.cancelAttempted = true;
        boolean cancelled;
        if (target.handle != null) {
            cancelled = target.handle.cancel();
        } else {
            // interrupt only blocking work, which is off the loop
            cancelled = target.future.cancel(target.op instanceof Op.RunBlocking);
        }
        target.cancelReturned |= cancelled;
        if (cancelled) {
            target.cancelSucceeded = true;
        }
    }

    /** On the loop thread: a callback, supplier or task body has started. */
    private void ran(Entry e) {
        if (e.cancelSucceeded) {
            e.startedAfterCancel = true;
        }
        e.ranAt = loop.time();
        e.runs.incrementAndGet();
        synchronized (runLog) {
            e.logPosition = runLog.size();
            runLog.add(e);
        }
    }

    List<Entry> all() {
        return entries.stream().flatMap(List::stream).toList();
    }

    static LoopFuture<?> asLoopFuture(Entry e) {
        return (LoopFuture<?>) e.future;
    }
}

package io.eventthread.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventthread.EventLoop;
import io.eventthread.EventThread;
import io.eventthread.LoopHandle;
import io.eventthread.LoopState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, item 3: {@code onShutdown} registrations racing the shutdown's own run of the
 * callbacks. EventLoop#onShutdown promises: registered before the shutdown, a callback runs when
 * it begins; registered once it has begun, it runs as soon as possible on the loop; once the loop
 * has terminated, never — and then its handle says so (cancelled). So after termination each
 * registration's callback has run, or its handle is cancelled: none is in neither state.
 */
@Timeout(60)
class OnShutdownRegistrationDefectTest {

    private static final int MAX_TRIES = Soak.SOAKING ? 100_000 : 300;
    private static final int MAX_REGISTRATIONS = 2_000;

    private record Registration(LoopHandle handle, AtomicBoolean ran) {
    }

    @Test
    void everyRegistrationRacingTheShutdownRunsOrIsRejected() throws Exception {
        long deadline = Soak.deadline();
        int tries = 0;
        int triesWithLoss = 0;
        int lost = 0;
        int registrations = 0;
        while (tries < MAX_TRIES && (tries < 50 || Soak.before(deadline))) {
            tries++;
            List<Registration> regs = oneRace();
            registrations += regs.size();
            int lostHere = 0;
            for (Registration r : regs) {
                if (!r.ran().get() && !r.handle().isCancelled()) {
                    lostHere++;
                }
            }
            if (lostHere > 0) {
                triesWithLoss++;
                lost += lostHere;
            }
        }
        assertThat(lost).as("registrations neither run nor rejected: %d in %d of %d tries (%d registrations)", lost,
                triesWithLoss, tries, registrations).isZero();
    }

    /** One race: a thread registers callbacks while the group shuts down, until the loop has terminated. */
    private static List<Registration> oneRace() throws Exception {
        EventThread group = Loops.builder("d15-onshutdown-race").build().start();
        List<Registration> regs = new ArrayList<>();
        try {
            EventLoop loop = group.next();
            CountDownLatch go = new CountDownLatch(1);
            Thread registrar = new Thread(() -> {
                Loops.await(go);
                // registrations before the shutdown begins cannot race it
                long until = System.nanoTime() + Loops.WAIT.toNanos();
                while (loop.state() == LoopState.RUNNING && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                while (regs.size() < MAX_REGISTRATIONS) {
                    boolean terminated = loop.state() == LoopState.TERMINATED;
                    AtomicBoolean ran = new AtomicBoolean();
                    regs.add(new Registration(loop.onShutdown(() -> ran.set(true)), ran));
                    if (terminated) {
                        break; // one registration after termination, to check that it is rejected too
                    }
                }
            }, "d15-registrar");
            registrar.start();
            go.countDown();
            int spin = ThreadLocalRandom.current().nextInt(200);
            for (int i = 0; i < spin; i++) {
                Thread.onSpinWait();
            }
            group.shutdownGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            registrar.join(Loops.WAIT.toMillis());
            assertThat(registrar.isAlive()).as("registrar finished").isFalse();
        } finally {
            Loops.closeQuietly(group);
        }
        return regs; // read after join: the registrar's writes are visible
    }
}

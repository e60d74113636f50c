package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The group: named non-daemon threads, round robin, key affinity. */
@Timeout(20)
class EventThreadGroupTest {

    @Test
    void loopsRunInNamedNonDaemonThreads() throws Exception {
        try (EventThread group = TestLoops.started("named", 3)) {
            assertThat(group.loops()).extracting(EventLoop::name).containsExactly("named-1", "named-2", "named-3");
            for (EventLoop loop : group.loops()) {
                assertThat(loop.submit(() -> Thread.currentThread().isDaemon()).get()).isFalse();
                assertThat(loop.submit(loop::inEventLoop).get()).isTrue();
                assertThat(loop.inEventLoop()).isFalse();
                assertThat(loop.group()).isSameAs(group);
            }
        }
    }

    @Test
    void nextIsRoundRobin() throws Exception {
        try (EventThread group = TestLoops.started("rr", 3)) {
            Map<String, Integer> perLoop = new HashMap<>();
            for (int i = 0; i < 9; i++) {
                perLoop.merge(group.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertThat(perLoop).containsOnly(Map.entry("rr-1", 3), Map.entry("rr-2", 3), Map.entry("rr-3", 3));
        }
    }

    @Test
    void loopForGivesTheSameLoopForEqualKeysAndSpreadsKeys() {
        try (EventThread group = TestLoops.started("affinity", 4)) {
            Map<EventLoop, Integer> spread = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                String key = "auction-" + i;
                EventLoop loop = group.loopFor(key);
                assertThat(group.loopFor(new String(key))).isSameAs(loop);
                spread.merge(loop, 1, Integer::sum);
            }
            assertThat(spread).hasSize(4);
            assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(150, 350));
        }
    }

    @Test
    void customThreadFactoryIsUsed() throws Exception {
        try (EventThread group = TestLoops.builder("ignored").threadFactory(r -> new Thread(r, "custom")).build().start()) {
            assertThat(group.next().submit(() -> Thread.currentThread().getName()).get()).isEqualTo("custom");
        }
    }
}

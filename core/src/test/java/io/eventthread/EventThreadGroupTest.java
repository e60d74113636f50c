package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
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
                perLoop.merge(group.next().submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS), 1, Integer::sum);
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
    void loopForSpreadsSequentialAndCommonFactorIdsEvenlyOverAnyLoopCount() {
        for (int loops : new int[] {1, 2, 3, 4, 7, 8, 16}) {
            try (EventThread group = TestLoops.builder("spread").loopCount(loops).build()) {
                for (long step : new long[] {1, 8, 10, 1000}) {
                    assertSpread(group, loops, step, i -> (int) (i * step), "int ids x" + step);
                    assertSpread(group, loops, step, i -> 5_000_000_000L + i * step, "long ids x" + step);
                    assertSpread(group, loops, step, i -> "auction-" + i * step, "string ids x" + step);
                }
            }
        }
    }

    private static void assertSpread(EventThread group, int loops, long step, java.util.function.LongFunction<Object> key,
            String what) {
        Map<EventLoop, Integer> load = new HashMap<>();
        for (long i = 0; i < 10_000; i++) {
            load.merge(group.loopFor(key.apply(i)), 1, Integer::sum);
        }
        assertThat(load).as("%s over %d loops: every loop gets keys", what, loops).hasSize(loops);
        int max = load.values().stream().mapToInt(Integer::intValue).max().getAsInt();
        int min = load.values().stream().mapToInt(Integer::intValue).min().getAsInt();
        assertThat((double) max / min).as("%s over %d loops: max/min load (%s)", what, loops, load.values())
                .isLessThanOrEqualTo(1.2);
    }

    @Test
    void twoDefaultGroupsHaveDistinctLoopNamesAndTheFirstKeepsTheShortNames() throws Exception {
        try (EventThread first = EventThread.builder().threadNamePrefix("twin").loopCount(2).build().start();
                EventThread second = EventThread.builder().threadNamePrefix("twin").loopCount(2).build().start()) {
            assertThat(first.name()).isEqualTo("twin");
            assertThat(first.loops()).extracting(EventLoop::name).containsExactly("twin-1", "twin-2");
            assertThat(second.name()).isEqualTo("twin-2");
            assertThat(second.loops()).extracting(EventLoop::name).containsExactly("twin-2-1", "twin-2-2");
            assertThat(second.toString()).contains("twin-2");
            try (TestLoops.CapturedLog log = new TestLoops.CapturedLog(EventLoop.class)) {
                second.loops().get(0).execute(() -> {
                    throw new IllegalStateException("boom");
                });
                TestLoops.sync(second.loops().get(0));
                assertThat(log.records).extracting(r -> String.valueOf(r.getMessage()))
                        .as("the log line names the group through the loop name")
                        .anySatisfy(m -> assertThat(m).contains("'twin-2-1'"));
            }
        }
        try (EventThread again = EventThread.builder().threadNamePrefix("twin").build().start()) {
            assertThat(again.name()).as("a terminated group's name is free again").isEqualTo("twin");
        }
    }

    @Test
    void twoGroupsWithTheDefaultPrefixNeverShareALoopName() throws Exception {
        try (EventThread a = EventThread.builder().loopCount(2).build().start();
                EventThread b = EventThread.builder().loopCount(2).build().start()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (EventThread g : List.of(a, b)) {
                for (EventLoop loop : g.loops()) {
                    assertThat(loop.name()).startsWith(g.name() + "-");
                    assertThat(loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
                            .isEqualTo(loop.name());
                    names.add(loop.name());
                }
            }
            assertThat(names).hasSize(4);
            assertThat(a.name()).isNotEqualTo(b.name());
        }
    }

    @Test
    void customThreadFactoryIsUsed() throws Exception {
        try (EventThread group = TestLoops.builder("ignored").threadFactory(r -> new Thread(r, "custom")).build().start()) {
            assertThat(group.next().submit(() -> Thread.currentThread().getName()).get()).isEqualTo("custom");
        }
    }
}

package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heap's order: deadline, then insertion sequence, which compares correctly across int
 * wrap-around; and a purge that keeps that order and every node's index.
 */
class TimerHeapTest {

    private static final class N implements TimerHeap.Node {
        final long deadline;
        int sequence;
        int index = TimerHeap.NOT_IN_HEAP;
        boolean garbage;

        N(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public int sequence() {
            return sequence;
        }

        @Override
        public void sequence(int sequence) {
            this.sequence = sequence;
        }

        @Override
        public int heapIndex() {
            return index;
        }

        @Override
        public void heapIndex(int i) {
            index = i;
        }
    }

    @Test
    void equalDeadlinesLeaveInInsertionOrderAcrossTheSequenceWrap() {
        TimerHeap<N> heap = new TimerHeap<>(Integer.MAX_VALUE - 50); // wraps to negative half way
        List<N> inserted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            N n = new N(1_000);
            inserted.add(n);
            heap.add(n);
        }
        assertThat(drain(heap)).containsExactlyElementsOf(inserted);
    }

    @Test
    void removeIfKeepsTheOrderAndTheIndicesOfWhatStays() {
        TimerHeap<N> heap = new TimerHeap<>();
        SplittableRandom random = new SplittableRandom(7);
        List<N> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            N n = new N(random.nextLong(100));
            n.garbage = random.nextInt(3) == 0;
            all.add(n);
            heap.add(n);
        }
        List<N> removed = new ArrayList<>();

        int count = heap.removeIf(n -> n.garbage, removed::add);

        List<N> kept = all.stream().filter(n -> !n.garbage).toList();
        assertThat(count).isEqualTo(removed.size()).isEqualTo(all.size() - kept.size());
        assertThat(removed).allMatch(n -> n.garbage && n.index == TimerHeap.NOT_IN_HEAP);
        assertThat(heap.size()).isEqualTo(kept.size());
        N some = kept.get(kept.size() / 2);
        assertThat(heap.remove(some)).as("the index of a node that stayed is right").isTrue();
        List<N> expected = kept.stream().filter(n -> n != some)
                .sorted(Comparator.comparingLong((N n) -> n.deadline).thenComparingInt(n -> n.sequence)).toList();
        assertThat(drain(heap)).containsExactlyElementsOf(expected);
    }

    private static List<N> drain(TimerHeap<N> heap) {
        List<N> out = new ArrayList<>();
        N n;
        while ((n = heap.poll()) != null) {
            out.add(n);
        }
        return out;
    }
}

package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap's order: deadline, then insertion sequence, which compares correctly across int wrap-around. */
class TimerHeapTest {

    private static final class N implements TimerHeap.Node {
        final long deadline;
        final int sequence;
        int index = TimerHeap.NOT_IN_HEAP;

        N(long deadline, int sequence) {
            this.deadline = deadline;
            this.sequence = sequence;
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
        TimerHeap<N> heap = new TimerHeap<>();
        List<N> inserted = new ArrayList<>();
        int seq = Integer.MAX_VALUE - 50;
        for (int i = 0; i < 100; i++) {
            N n = new N(1_000, seq++); // wraps to negative half way
            inserted.add(n);
        }
        for (int i = inserted.size() - 1; i >= 0; i -= 2) {
            heap.add(inserted.get(i));
        }
        for (int i = 0; i < inserted.size(); i += 2) {
            heap.add(inserted.get(i));
        }
        List<N> out = new ArrayList<>();
        N n;
        while ((n = heap.poll()) != null) {
            out.add(n);
        }
        assertThat(out).containsExactlyElementsOf(inserted);
    }
}

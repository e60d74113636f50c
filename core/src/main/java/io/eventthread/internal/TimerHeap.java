package io.eventthread.internal;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A binary min-heap of timers ordered by deadline, then by insertion sequence, in which every
 * node knows its index: insert, remove-any and poll are O(log n), and a cancelled timer is
 * unlinked at once instead of lingering until its deadline. Confined to one thread (the loop).
 *
 * <p>Deadlines are compared by subtraction, as {@link System#nanoTime()} values must be; callers
 * keep them within {@code Long.MAX_VALUE / 2} of each other.
 *
 * @param <N> the node type
 */
final class TimerHeap<N extends TimerHeap.Node> {

    /** The index of a node that is not in a heap. */
    public static final int NOT_IN_HEAP = -1;

    /** What the heap needs of a timer. */
    public interface Node {
        /** @return the deadline in clock nanoseconds */
        long deadlineNanos();

        /** @return the insertion sequence, the tie-breaker for equal deadlines; compared wrapping */
        int sequence();

        /** @param sequence the insertion sequence the heap gives the node as it enters */
        void sequence(int sequence);

        /** @return the node's index, or {@link #NOT_IN_HEAP} */
        int heapIndex();

        /** @param index the node's new index, or {@link #NOT_IN_HEAP} */
        void heapIndex(int index);
    }

    /** Slots past which a purge that leaves the heap under a quarter full shrinks the array. */
    static final int SHRINK_ABOVE = 1 << 16;

    private Node[] nodes = new Node[64];
    private int size;
    /**
     * The next insertion sequence. Here, not with the timers' other state: the heap is touched by
     * the loop alone, while threads that schedule read the timers object on every call.
     */
    private int sequence;

    TimerHeap() {
        this(0);
    }

    /** @param firstSequence the first insertion sequence (a test starts near the wrap) */
    TimerHeap(int firstSequence) {
        this.sequence = firstSequence;
    }

    /** @return the number of timers */
    public int size() {
        return size;
    }

    /** @return whether there are no timers */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return the earliest timer, or {@code null} */
    @SuppressWarnings("unchecked")
    public N peek() {
        return (N) nodes[0];
    }

    /**
     * Adds a node that is not in a heap, after every node added before it among equal deadlines.
     * @param node the node
     */
    public void add(N node) {
        if (size == nodes.length) {
            // by half, as java.util.PriorityQueue and Netty's queue grow: the slack is memory
            // every pending timer carries (doubling left 6.6 bytes a timer at 10,000, this 5)
            nodes = Arrays.copyOf(nodes, size + (size >> 1));
        }
        node.sequence(sequence++);
        siftUp(size++, node);
    }

    /**
     * Removes and returns the earliest timer.
     * @return the earliest timer, or {@code null}
     */
    @SuppressWarnings("unchecked")
    public N poll() {
        if (size == 0) {
            return null;
        }
        N first = (N) nodes[0];
        removeAt(0);
        return first;
    }

    /**
     * Removes a node if it is in this heap.
     * @param node the node
     * @return whether it was removed
     */
    public boolean remove(N node) {
        int i = node.heapIndex();
        if (i < 0 || i >= size || nodes[i] != node) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /**
     * Removes every node {@code garbage} accepts, in one pass, and rebuilds the heap in linear
     * time: cheaper than unlinking them one by one once they are a good part of the heap.
     * @param garbage which nodes to remove
     * @param removed told of each node removed
     * @return how many were removed
     */
    @SuppressWarnings("unchecked")
    public int removeIf(Predicate<? super N> garbage, Consumer<? super N> removed) {
        int kept = 0;
        int before = size;
        for (int i = 0; i < before; i++) {
            N node = (N) nodes[i];
            if (garbage.test(node)) {
                node.heapIndex(NOT_IN_HEAP);
                removed.accept(node);
            } else {
                nodes[kept] = node;
                node.heapIndex(kept++);
            }
        }
        Arrays.fill(nodes, kept, before, null);
        size = kept;
        for (int i = (kept >>> 1) - 1; i >= 0; i--) {
            siftDown(i, nodes[i]);
        }
        if (nodes.length > SHRINK_ABOVE && kept < nodes.length >>> 2) {
            // a large burst's array is not held for ever; a smaller one stays, or every burst of
            // timers cancelled from another thread would grow it again (16 B a timer at 10,000)
            nodes = Arrays.copyOf(nodes, Math.max(SHRINK_ABOVE, kept << 1));
        }
        return before - kept;
    }

    /**
     * A copy of the nodes, in no particular order. Safe to call from another thread while the
     * owner is known not to be mutating the heap; otherwise it may miss or repeat nodes.
     * @return the nodes
     */
    public Object[] snapshot() {
        Node[] current = nodes;
        return Arrays.copyOf(current, Math.min(size, current.length));
    }

    private void removeAt(int i) {
        Node removed = nodes[i];
        removed.heapIndex(NOT_IN_HEAP);
        Node last = nodes[--size];
        nodes[size] = null;
        if (i == size) {
            return;
        }
        if (i > 0 && less(last, nodes[(i - 1) >>> 1])) {
            siftUp(i, last);
        } else {
            siftDown(i, last);
        }
    }

    private void siftUp(int i, Node node) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node p = nodes[parent];
            if (!less(node, p)) {
                break;
            }
            nodes[i] = p;
            p.heapIndex(i);
            i = parent;
        }
        nodes[i] = node;
        node.heapIndex(i);
    }

    private void siftDown(int i, Node node) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Node c = nodes[child];
            int right = child + 1;
            if (right < size && less(nodes[right], c)) {
                child = right;
                c = nodes[child];
            }
            if (!less(c, node)) {
                break;
            }
            nodes[i] = c;
            c.heapIndex(i);
            i = child;
        }
        nodes[i] = node;
        node.heapIndex(i);
    }

    private static boolean less(Node a, Node b) {
        long d = a.deadlineNanos() - b.deadlineNanos();
        // sequences compare by subtraction: correct while live timers span fewer than 2^31 insertions
        return d < 0 || (d == 0 && a.sequence() - b.sequence() < 0);
    }
}

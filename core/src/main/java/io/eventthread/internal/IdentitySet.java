package io.eventthread.internal;

import java.util.Arrays;

/**
 * A set of objects by identity, open-addressed with linear probing: one table slot per element
 * (an {@code IdentityHashMap} takes two, a {@code ConcurrentHashMap} an entry object), so an
 * executor view's pending timer costs about six bytes here and adding or removing allocates
 * nothing. Not thread-safe: its owner guards it.
 */
final class IdentitySet {

    private static final int MIN_CAPACITY = 16;

    private Object[] table = new Object[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Whether {@code element} was added (it was not in the set). */
    boolean add(Object element) {
        Object[] t = table;
        int mask = t.length - 1;
        for (int i = slot(element, mask); ; i = (i + 1) & mask) {
            Object e = t[i];
            if (e == null) {
                t[i] = element;
                if (++size * 3 > t.length * 2) { // at most two thirds full, as IdentityHashMap
                    resize(t.length * 2);
                }
                return true;
            }
            if (e == element) {
                return false;
            }
        }
    }

    /** Whether {@code element} was in the set. */
    boolean remove(Object element) {
        Object[] t = table;
        int mask = t.length - 1;
        for (int i = slot(element, mask); ; i = (i + 1) & mask) {
            Object e = t[i];
            if (e == null) {
                return false;
            }
            if (e == element) {
                size--;
                closeGap(t, i, mask);
                return true;
            }
        }
    }

    /** The elements, in no particular order. */
    Object[] toArray() {
        Object[] out = new Object[size];
        int n = 0;
        for (Object e : table) {
            if (e != null) {
                out[n++] = e;
            }
        }
        return out;
    }

    /**
     * Empties slot {@code gap} and moves back every later element of its run that could not be
     * found past the gap (Knuth's deletion for linear probing), so no tombstones are needed.
     */
    private static void closeGap(Object[] t, int gap, int mask) {
        t[gap] = null;
        for (int j = (gap + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = slot(t[j], mask);
            // the element at j stays if its home lies cyclically in (gap, j]
            boolean stays = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!stays) {
                t[gap] = t[j];
                t[j] = null;
                gap = j;
            }
        }
    }

    private void resize(int capacity) {
        Object[] old = table;
        Object[] t = new Object[capacity];
        int mask = capacity - 1;
        for (Object e : old) {
            if (e != null) {
                int i = slot(e, mask);
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = e;
            }
        }
        table = t;
    }

    private static int slot(Object element, int mask) {
        int h = System.identityHashCode(element) * 0x9E3779B9; // spread the low bits probing starts from
        return (h ^ (h >>> 16)) & mask;
    }

    @Override
    public String toString() {
        return "IdentitySet" + Arrays.toString(toArray());
    }
}

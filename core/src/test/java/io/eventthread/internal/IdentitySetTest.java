package io.eventthread.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The executor view's pending set: the same answers as a JDK identity set through growth and deletions. */
class IdentitySetTest {

    @Test
    void agreesWithAnIdentitySetThroughRandomAddsAndRemoves() {
        IdentitySet set = new IdentitySet();
        Set<Object> reference = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> universe = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            universe.add(new Object());
        }
        Random random = new Random(19);
        for (int step = 0; step < 200_000; step++) {
            Object o = universe.get(random.nextInt(universe.size()));
            if (random.nextInt(3) != 0) {
                assertThat(set.add(o)).isEqualTo(reference.add(o));
            } else {
                assertThat(set.remove(o)).isEqualTo(reference.remove(o));
            }
            assertThat(set.size()).isEqualTo(reference.size());
        }
        assertThat(set.toArray()).containsExactlyInAnyOrderElementsOf(reference);
        for (Object o : universe) { // every element still findable after the deletions moved others back
            assertThat(set.remove(o)).isEqualTo(reference.remove(o));
        }
        assertThat(set.size()).isZero();
        assertThat(set.toArray()).isEmpty();
    }

    @Test
    void equalButDistinctObjectsAreDifferentElements() {
        IdentitySet set = new IdentitySet();
        String a = new String("x");
        String b = new String("x");
        assertThat(set.add(a)).isTrue();
        assertThat(set.add(b)).isTrue();
        assertThat(set.add(a)).isFalse();
        assertThat(set.remove(b)).isTrue();
        assertThat(set.toArray()).containsExactly(a);
    }
}

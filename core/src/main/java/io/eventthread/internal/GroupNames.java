package io.eventthread.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide group names, so loop names ({@code group-N}) are unique among live groups: the first
 * group of a prefix is named after the prefix ({@code eventthread}, loops {@code eventthread-1} …),
 * later ones {@code prefix-2}, {@code prefix-3} … (loops {@code eventthread-2-1} …), Netty's
 * {@code prefix-group-loop} style. Loop names cannot collide across groups: a loop index has no
 * dash, so a loop name splits into its group name at the last dash.
 */
final class GroupNames {

    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    private GroupNames() {
    }

    /**
     * @param prefix the configured prefix
     * @return a group name not used by any live group; {@link #release} it at termination
     */
    static String claim(String prefix) {
        if (LIVE.add(prefix)) {
            return prefix;
        }
        for (int group = 2; ; group++) {
            String name = prefix + "-" + group;
            if (LIVE.add(name)) {
                return name;
            }
        }
    }

    /** @param name a name from {@link #claim}, free again once its group has terminated */
    static void release(String name) {
        LIVE.remove(name);
    }
}

package org.mwan4.config;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Immutable sets with a stable iteration order (Set.copyOf's order changes from run to run; replays must not). */
final class Sets {
    private Sets() {}

    static <E extends Enum<E>> Set<E> enumSet(Class<E> type, Collection<E> items) {
        EnumSet<E> s = EnumSet.noneOf(type);
        s.addAll(items);
        return Collections.unmodifiableSet(s);
    }
}

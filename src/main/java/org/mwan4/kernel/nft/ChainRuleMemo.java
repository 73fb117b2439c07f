package org.mwan4.kernel.nft;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ChainRule#parse} with the answers for the last {@code capacity} rule texts kept. A failover swaps a
 * strategy chain between a few rule sets it has had before, and parsing each rule twice (the encodability check,
 * then the encoding) is most of the direct path's user-space time on a path that runs too rarely to be compiled.
 * Thread-safe; answers always equal {@code ChainRule.parse(text)}.
 */
final class ChainRuleMemo {
    private final Map<String, Optional<ChainRule>> recent;

    ChainRuleMemo(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<ChainRule>> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<ChainRule> parse(String text) {
        return recent.computeIfAbsent(text, ChainRule::parse);
    }

    synchronized int size() {
        return recent.size();
    }
}

package org.mwan4.plan;

import java.util.SortedSet;
import org.mwan4.config.Cidr;

/**
 * A named set in {@code table inet fw4}.
 *
 * <pre>
 * set mwan4_connected_ipv4 { type ipv4_addr; flags interval; elements = { ... } }
 * set mwan4_dynamic_ipv4 { type ipv4_addr; flags interval; auto-merge; }
 * set mwan4_rule_ipv4_https_1 { type ipv4_addr; flags dynamic,timeout; timeout 600s; }
 * </pre>
 *
 * @param keyType         nft key type text: {@code ipv4_addr}, {@code ipv6_addr}, {@code ipv4_addr . mark}, {@code ipv6_addr . mark}
 * @param interval        {@code flags interval}; rendered with {@code auto-merge} only when we do not manage the
 *                        elements (nft 1.0.6 cannot delete part of a merged range, so managed sets keep exactly the
 *                        disjoint prefixes we add; read back, adjacent elements stay apart)
 * @param timeoutSeconds  {@code flags dynamic,timeout; timeout Ns} when > 0 (sticky sets; nft lists the timeout as
 *                        {@code 10m}, {@code 1h} ...)
 * @param elements        elements we own (disjoint networks); ignored when {@code managedElements} is false (the
 *                        kernel fills sticky sets, the user the dynamic ones): diff never touches those
 */
public record NftSet(String name, String keyType, boolean interval, int timeoutSeconds, SortedSet<Cidr> elements, boolean managedElements) {
    public NftSet {
        elements = Frozen.set(elements);
    }
}

package org.mwan4.plan;

import java.util.SortedSet;
import org.mwan4.config.Cidr;

/**
 * A named set in {@code table inet fw4}.
 *
 * <pre>set mwan4_connected_ipv4 { type ipv4_addr; flags interval; auto-merge; elements = { ... } }</pre>
 *
 * @param keyType         nft key type text: {@code ipv4_addr}, {@code ipv6_addr}, {@code ipv4_addr . mark}, {@code ipv6_addr . mark}
 * @param interval        {@code flags interval} (+ {@code auto-merge})
 * @param timeoutSeconds  {@code flags timeout; timeout Ns} when > 0 (sticky sets)
 * @param elements        elements we own; ignored when {@code managedElements} is false (the kernel fills sticky sets)
 */
public record NftSet(String name, String keyType, boolean interval, int timeoutSeconds, SortedSet<Cidr> elements, boolean managedElements) {
    public NftSet {
        elements = Frozen.set(elements);
    }
}

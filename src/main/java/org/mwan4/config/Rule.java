package org.mwan4.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code config rule 'https'}: first match wins, in file order.
 *
 * @param proto    {@code all}, or a protocol name/number in lower case ({@code tcp}, {@code udp}, {@code icmp}, {@code 47})
 * @param srcIface interface name (from this config) whose device the traffic enters on
 * @param ipset    name of an existing nft set in table inet fw4, matched on destination
 * @param families empty: both families (where the rule's addresses allow)
 */
public record Rule(
        String name,
        String proto,
        List<Cidr> srcIp,
        List<Cidr> destIp,
        List<PortRange> srcPort,
        List<PortRange> destPort,
        Optional<String> srcIface,
        Optional<String> ipset,
        Set<Family> families,
        Target target,
        boolean sticky,
        Duration timeout,
        boolean logging,
        Position position) {

    public Rule {
        srcIp = List.copyOf(srcIp);
        destIp = List.copyOf(destIp);
        srcPort = List.copyOf(srcPort);
        destPort = List.copyOf(destPort);
        families = Sets.enumSet(Family.class, families);
    }

    /** {@code option use_strategy}: a strategy, or one of the reserved words default / unreachable / blackhole. */
    public sealed interface Target {
        record UseStrategy(String strategy) implements Target {}

        record Default() implements Target {}

        record Unreachable() implements Target {}

        record Blackhole() implements Target {}
    }

    /** Whether this rule produces nft rules for family {@code f}. */
    public boolean appliesTo(Family f) {
        if (!families.isEmpty() && !families.contains(f)) {
            return false;
        }
        return srcIp.stream().allMatch(c -> c.family() == f) && destIp.stream().allMatch(c -> c.family() == f);
    }
}

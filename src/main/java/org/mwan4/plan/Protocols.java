package org.mwan4.plan;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * IP protocol names as nft prints {@code meta l4proto} (it asks getprotobynumber, i.e. /etc/protocols, so a
 * rule written {@code 47} lists as {@code gre} and {@code icmpv6} as {@code ipv6-icmp}). The table is
 * iana/netbase's for the protocols a multi-WAN rule plausibly names; other numbers print as numbers.
 */
final class Protocols {
    private static final TreeMap<Integer, String> NAMES = new TreeMap<>();
    private static final TreeMap<String, Integer> NUMBERS = new TreeMap<>();

    static {
        name(1, "icmp");
        name(2, "igmp");
        name(4, "ipencap", "ipip4");
        name(6, "tcp");
        name(17, "udp");
        name(33, "dccp");
        name(41, "ipv6");
        name(46, "rsvp");
        name(47, "gre");
        name(50, "esp", "ipsec-esp");
        name(51, "ah", "ipsec-ah");
        name(58, "ipv6-icmp", "icmpv6", "icmp6");
        name(89, "ospf", "ospfigp");
        name(94, "ipip");
        name(103, "pim");
        name(112, "vrrp");
        name(115, "l2tp");
        name(132, "sctp");
        name(136, "udplite");
    }

    private Protocols() {}

    private static void name(int number, String canonical, String... aliases) {
        NAMES.put(number, canonical);
        NUMBERS.put(canonical, number);
        for (String a : aliases) {
            NUMBERS.put(a, number);
        }
    }

    /** {@code all} (or nothing): no protocol match. */
    static boolean isAll(String proto) {
        return proto == null || proto.isEmpty() || proto.equalsIgnoreCase("all");
    }

    /** The protocol as nft lists it; empty when we cannot name it safely (the rule is then left out). */
    static Optional<String> nftName(String proto) {
        String p = proto.toLowerCase(Locale.ROOT);
        Integer n = NUMBERS.get(p);
        if (n == null && p.chars().allMatch(Character::isDigit) && p.length() <= 3) {
            n = Integer.parseInt(p);
        }
        if (n == null || n > 255) {
            return Optional.empty();
        }
        return Optional.of(NAMES.getOrDefault(n, Integer.toString(n)));
    }

    /** Whether a protocol is one of those that have ports in nft ({@code tcp dport}, {@code udp dport}). */
    static boolean hasPorts(String nftName) {
        return nftName.equals("tcp") || nftName.equals("udp");
    }
}

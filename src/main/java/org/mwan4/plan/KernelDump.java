package org.mwan4.plan;

import java.util.List;

/**
 * What {@code mwan4 internal ipv4|ipv6} shows: one family's links with their addresses, the routes of the main
 * table and of mwan4's tables, every ip rule, and our nft sets and chains, as one namespace has them now (read by
 * the kernel port, handed out by the control API; here so both may use it). Each item carries the line {@code ip}
 * or {@code nft} would print for it.
 *
 * @param family {@code ipv4} or {@code ipv6}
 * @param links  links that have an address of the family, each with those addresses ({@code ip -4 addr show})
 * @param tables main first, then our tables by number, each with its routes ({@code ip -4 route show table N})
 * @param rules  every rule of the family by pref ({@code ip -4 rule show})
 * @param nft    our sets and chains of {@code table inet fw4} for this family and both families
 *               ({@code nft list table inet fw4}, counters included)
 */
public record KernelDump(String family, List<Link> links, List<Table> tables, List<Rule> rules, List<NftObject> nft) {
    public KernelDump {
        links = List.copyOf(links);
        tables = List.copyOf(tables);
        rules = List.copyOf(rules);
        nft = List.copyOf(nft);
    }

    /** {@code text}: {@code 2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> state UP}. */
    public record Link(int index, String name, String text, List<Address> addresses) {
        public Link {
            addresses = List.copyOf(addresses);
        }
    }

    /** {@code address}: {@code 192.0.2.2/26}; {@code text}: {@code inet 192.0.2.2/26 scope global eth0}. */
    public record Address(String address, String scope, String text) {}

    /** {@code name}: {@code main} or the table number; {@code routes} as {@code ip route show table N} prints them. */
    public record Table(String name, int id, List<String> routes) {
        public Table {
            routes = List.copyOf(routes);
        }
    }

    /** {@code ours}: pref 1000..3999 (mwan4's); {@code text}: {@code 2001:\tfrom all fwmark 0x100/0x3f00 lookup 1}. */
    public record Rule(int priority, boolean ours, String text) {}

    /** {@code kind}: set, map or chain; {@code text}: the block {@code nft list table inet fw4} prints for it. */
    public record NftObject(String kind, String name, String text) {}
}

package org.mwan4.plan;

import java.util.Collection;
import org.mwan4.config.Family;

/**
 * ip rules and routes in {@code ip} syntax: {@code ip -4 rule add pref 2001 fwmark 0x100/0x3f00 lookup 1},
 * {@code ip -6 route add default via fe80::1 dev eth0 proto 3 metric 1024 table 1}. The files are shell
 * lines a human can run; the daemon sends the same objects as rtnetlink messages.
 */
public final class IpRender {
    private IpRender() {}

    public static String rule(String verb, IpRule r) {
        return "ip " + flag(r.family()) + " rule " + verb + " " + r;
    }

    public static String route(String verb, IpRoute r) {
        return "ip " + flag(r.destination().family()) + " route " + verb + " " + r;
    }

    /** {@code ip-rules.txt}: one {@code ip rule add} per line, IPv4 first, by priority. */
    public static String rulesFile(Collection<IpRule> rules) {
        StringBuilder sb = new StringBuilder("# mwan4 ip rules: generated, edits are overwritten\n");
        rules.forEach(r -> sb.append(rule("add", r)).append('\n'));
        return sb.toString();
    }

    /** {@code routes.txt}: one {@code ip route add} per line for every route of our tables. */
    public static String routesFile(Collection<IpRoute> routes) {
        StringBuilder sb = new StringBuilder("# mwan4 interface tables: generated, edits are overwritten\n");
        routes.forEach(r -> sb.append(route("add", r)).append('\n'));
        return sb.toString();
    }

    private static String flag(Family f) {
        return f == Family.IPV4 ? "-4" : "-6";
    }
}

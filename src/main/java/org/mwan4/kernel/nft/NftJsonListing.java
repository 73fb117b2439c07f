package org.mwan4.kernel.nft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.NftSet;

/**
 * Reads named sets out of nft's JSON listing ({@code nft -j list table inet fw4}):
 * <pre>
 * {"set": {"family": "inet", "table": "fw4", "name": "mwan4_connected_ipv4", "type": "ipv4_addr",
 *          "flags": ["interval"], "elem": ["198.51.100.7", {"prefix": {"addr": "192.0.2.0", "len": 24}},
 *                                          {"range": ["203.0.113.10", "203.0.113.20"]}]}}
 * {"set": {..., "name": "mwan4_rule_ipv4_x", "type": ["ipv4_addr", "mark"], "flags": ["timeout"], "timeout": 600}}
 * </pre>
 * Ranges become the prefixes that cover them ({@link AddressRanges#prefixes}). Sets the kernel fills itself
 * (concatenated keys, {@code timeout} or {@code dynamic} flags: the sticky sets) come back with
 * {@code managedElements = false} and no elements. Pure.
 */
final class NftJsonListing {
    private NftJsonListing() {}

    /** Sets of {@code table} (e.g. inet fw4) whose names start with {@code prefix}, by name. */
    static SortedMap<String, NftSet> sets(JsonNode root, String family, String table, String prefix) {
        SortedMap<String, NftSet> out = new TreeMap<>();
        for (JsonNode item : root.path("nftables")) {
            JsonNode set = item.get("set");
            if (set == null || !family.equals(set.path("family").asText()) || !table.equals(set.path("table").asText())) {
                continue;
            }
            String name = set.path("name").asText();
            if (!name.startsWith(prefix)) {
                continue;
            }
            out.put(name, set(name, set));
        }
        return out;
    }

    private static NftSet set(String name, JsonNode set) {
        JsonNode type = set.path("type");
        List<String> parts = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> parts.add(t.asText()));
        } else {
            parts.add(type.asText());
        }
        List<String> flags = new ArrayList<>();
        set.path("flags").forEach(f -> flags.add(f.asText()));
        if (set.path("flags").isTextual()) {
            flags.add(set.path("flags").asText());
        }
        int timeout = set.path("timeout").asInt(0);
        boolean managed = parts.size() == 1 && !flags.contains("timeout") && !flags.contains("dynamic");
        SortedSet<Cidr> elements = new TreeSet<>();
        if (managed) {
            for (JsonNode e : set.path("elem")) {
                elements.addAll(element(name, e));
            }
        }
        return new NftSet(name, String.join(" . ", parts), flags.contains("interval"), timeout, elements, managed);
    }

    /** One element: {@code "192.0.2.1"}, {@code {"prefix": ...}}, {@code {"range": [a, b]}} or {@code {"elem": {"val": ...}}}. */
    static List<Cidr> element(String set, JsonNode e) {
        if (e.isTextual()) {
            return List.of(Cidr.host(address(set, e)));
        }
        if (e.has("elem")) {
            return element(set, e.path("elem").path("val"));
        }
        if (e.has("prefix")) {
            JsonNode p = e.get("prefix");
            IpAddress a = address(set, p.path("addr"));
            int len = p.path("len").asInt(-1);
            if (len < 0 || len > a.bits()) {
                throw unreadable(set, e);
            }
            return List.of(new Cidr(a, len));
        }
        if (e.has("range") && e.get("range").size() == 2) {
            IpAddress lo = address(set, e.get("range").get(0));
            IpAddress hi = address(set, e.get("range").get(1));
            if (lo.family() != hi.family() || lo.compareTo(hi) > 0) {
                throw unreadable(set, e);
            }
            return AddressRanges.prefixes(lo, hi);
        }
        throw unreadable(set, e);
    }

    private static IpAddress address(String set, JsonNode n) {
        return IpAddress.parse(n.asText()).orElseThrow(() -> unreadable(set, n));
    }

    private static KernelException unreadable(String set, JsonNode e) {
        return new KernelException("set " + set + " holds element " + e + " that is not an address, prefix or range;"
                + " cannot read it into the plan model");
    }
}

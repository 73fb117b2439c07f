package org.mwan4.kernel.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.Desired;

/**
 * What some sets of {@code table inet fw4} hold right now, whoever fills them: the user's {@code ipset} sets, the
 * dynamic sets, the kernel's sticky sets ({@code mwan4 explain} reads them; the plan cannot know them). Only sets
 * of single addresses ({@code ipv4_addr} / {@code ipv6_addr}, any flags) are read; others are left out.
 */
public final class SetContents {
    private SetContents() {}

    /**
     * The elements of the sets named {@code names} that exist and hold addresses, by name (missing sets and sets of
     * other types are absent). Equals {@code nft -j list table inet fw4}.
     *
     * @throws NftException    when nft refuses the listing (no table)
     * @throws KernelException when the JSON cannot be read
     */
    public static SortedMap<String, SortedSet<Cidr>> read(NftBackend nft, Collection<String> names) {
        String listing = nft.listJson("list table " + Desired.TABLE);
        try {
            String[] t = Desired.TABLE.split(" ");
            return of(new ObjectMapper().readTree(listing), t[0], t[1], names);
        } catch (JsonProcessingException e) {
            throw new KernelException("nft -j list table " + Desired.TABLE + " printed JSON we cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@link #read} on a listing already parsed. Pure. */
    static SortedMap<String, SortedSet<Cidr>> of(JsonNode root, String family, String table, Collection<String> names) {
        SortedMap<String, SortedSet<Cidr>> out = new TreeMap<>();
        for (JsonNode item : root.path("nftables")) {
            JsonNode set = item.get("set");
            if (set == null || !family.equals(set.path("family").asText()) || !table.equals(set.path("table").asText())) {
                continue;
            }
            String name = set.path("name").asText();
            String type = set.path("type").asText("");
            if (!names.contains(name) || !List.of("ipv4_addr", "ipv6_addr").contains(type)) {
                continue;
            }
            SortedSet<Cidr> elements = new TreeSet<>();
            try {
                for (JsonNode e : set.path("elem")) {
                    elements.addAll(NftJsonListing.element(name, e));
                }
            } catch (KernelException e) {
                continue; // an element we cannot read: the set stays unknown rather than half known
            }
            out.put(name, elements);
        }
        return out;
    }
}

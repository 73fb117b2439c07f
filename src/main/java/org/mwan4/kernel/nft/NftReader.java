package org.mwan4.kernel.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SortedMap;
import java.util.TreeSet;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * Reads back OUR objects (names starting with {@code mwan4_}) from {@code table inet fw4} into the plan
 * model, so the runtime can diff what the kernel has against what it wants. Only sets and chains: ip rules
 * and routes come from rtnetlink and stay empty here.
 *
 * <ul>
 *   <li>chains, with their hook and their rules as the exact lines nft prints ({@link NftTextListing});</li>
 *   <li>sets, with key type, flags, timeout and elements from the JSON listing ({@link NftJsonListing}).</li>
 * </ul>
 * A missing table reads as the empty model. Not atomic across its two listings: a change in between shows
 * up in one and not the other; the nft monitor reports such a change and the runtime reads again.
 */
public final class NftReader {
    /** Every object mwan4 creates is named {@code mwan4_...}. */
    public static final String PREFIX = "mwan4_";

    private final NftBackend nft;
    private final String prefix;
    private final ObjectMapper json = new ObjectMapper();
    private final String family;
    private final String table;

    public NftReader(NftBackend nft) {
        this(nft, PREFIX);
    }

    public NftReader(NftBackend nft, String prefix) {
        this.nft = nft;
        this.prefix = prefix;
        String[] t = Desired.TABLE.split(" ");
        this.family = t[0];
        this.table = t[1];
    }

    /**
     * Our sets and chains as they are now. Equals {@code nft -s -t list ruleset} (chains and rules; terse,
     * because nft 1.0.6 fetches no set elements for a terse ruleset listing but does for a table listing)
     * plus {@code nft -j list table inet fw4} (sets with elements; skipped when there is no table).
     *
     * @throws NftException when nft refuses a listing
     * @throws KernelException when the JSON cannot be read
     */
    public Desired read() {
        String text = nft.listTerse("list ruleset");
        if (!NftTextListing.hasTable(text, family, table)) {
            return Desired.empty();
        }
        String listing;
        try {
            listing = nft.listJson("list table " + Desired.TABLE);
        } catch (NftException e) {
            if (NftErrors.isNotFound(e)) {
                return Desired.empty(); // deleted between the two listings
            }
            throw e;
        }
        SortedMap<String, NftChain> chains = NftTextListing.chains(text, family, table, prefix);
        SortedMap<String, NftSet> sets = NftJsonListing.sets(parse(listing), family, table, prefix);
        return new Desired(sets, chains, new TreeSet<>(), new TreeSet<>());
    }

    private JsonNode parse(String listing) {
        try {
            return json.readTree(listing);
        } catch (JsonProcessingException e) {
            throw new KernelException("nft -j list table " + Desired.TABLE + " printed JSON we cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }
}

package org.mwan4.api.view;

import java.util.List;
import org.mwan4.plan.KernelDump;

/**
 * {@code GET /v1/internal?family=ipv4}: what the daemon's network namespace holds for one family (mwan3's
 * {@code mwan3 internal}), each item with the line {@code ip} / {@code nft} would print.
 *
 * @param now    the daemon's clock when it read the kernel (ISO-8601)
 * @param links  links with an address of the family ({@code ip -4 addr show})
 * @param tables the main table, then mwan4's tables ({@code ip -4 route show table N})
 * @param rules  every ip rule of the family ({@code ip -4 rule show})
 * @param nft    mwan4's sets and chains in {@code table inet fw4} for the family or both families, with counters
 */
public record InternalView(String now, String family, List<KernelDump.Link> links, List<KernelDump.Table> tables,
                           List<KernelDump.Rule> rules, List<KernelDump.NftObject> nft) {
    public InternalView {
        links = List.copyOf(links);
        tables = List.copyOf(tables);
        rules = List.copyOf(rules);
        nft = List.copyOf(nft);
    }

    public static InternalView of(String now, KernelDump d) {
        return new InternalView(now, d.family(), d.links(), d.tables(), d.rules(), d.nft());
    }
}

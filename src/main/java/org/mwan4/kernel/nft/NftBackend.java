package org.mwan4.kernel.nft;

import java.util.List;
import java.util.SortedSet;
import java.util.function.Function;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.Op;

/**
 * The nftables port: runs one script as one atomic transaction and lists what the kernel holds.
 * Two implementations: {@link LibNftables} (libnftables.so.1 over FFM, the normal path) and
 * {@link NftBinary} (the {@code nft} program, the fallback when the library cannot be loaded).
 * Both speak nft's own script syntax and print nft's own listing, so callers cannot tell them apart
 * except by {@link #name()} and speed.
 *
 * <p>Implementations are safe to call from any thread; calls are serialised.
 */
public interface NftBackend extends AutoCloseable {

    /**
     * Runs the whole script as one transaction: either every op lands or none does.
     * Equals {@code nft -f script}.
     *
     * @throws NftException naming the op the kernel (or nft's parser) rejected; nothing was applied
     */
    void apply(NftScript script);

    /**
     * Applies a step's nft ops ({@code diff}'s order; ip rule and route ops are skipped). This default runs
     * {@code nft -f} of {@code render(ops)}: one transaction. {@link LibNftables} splits the step with {@link NftStep}
     * so the elements of our interval sets take its direct path: {@code nft -f render(before)}, one element batch,
     * {@code nft -f render(after)}; three transactions, ordered so traffic never sees a half-filled set.
     * When a later part fails the earlier ones stay: the caller re-reads the kernel and re-plans.
     *
     * @param render how ops become one script ({@code NftRender::script})
     * @throws NftException naming the op (or element) refused
     */
    default void apply(List<Op> ops, Function<List<Op>, NftScript> render) {
        NftScript script = render.apply(ops.stream().filter(NftStep::isNft).toList());
        if (!script.isEmpty()) {
            apply(script);
        }
    }

    /**
     * Deletes and adds prefixes of interval sets ({@code mwan4_connected_*}, {@code mwan4_custom_*},
     * {@code mwan4_dynamic_*}) in one transaction: for each change its deletes, then its adds; all or nothing.
     * Equals {@code nft -f} of {@link SetElements#script}:
     * {@code delete element inet fw4 S { ... }} then {@code add element inet fw4 S { ... }}.
     * The prefixes must not overlap what the set keeps (these sets have no auto-merge).
     *
     * <p>This default runs those lines through {@link #apply}. {@link LibNftables} sends them as one nf_tables
     * netlink batch instead ({@link SetElementChannel}): no nft parser, and no dump of the whole set first.
     *
     * @throws NftException naming the change (and, on the netlink path, the element) the kernel refused; nothing
     *                      was applied
     */
    default void applyElements(List<SetElements> changes) {
        List<SetElements> work = changes.stream().filter(c -> !c.isEmpty()).toList();
        if (!work.isEmpty()) {
            apply(SetElements.script(work));
        }
    }

    /** {@link #applyElements(List)} for one set. */
    default void applyElements(String set, Family family, SortedSet<Cidr> added, SortedSet<Cidr> removed) {
        applyElements(List.of(new SetElements(set, family, added, removed)));
    }

    /**
     * Parses and evaluates the script against the current ruleset without committing anything.
     * Equals {@code nft -c -f script}.
     *
     * @throws NftException naming the op that would be rejected
     */
    void check(NftScript script);

    /**
     * nft's text listing without counter values, e.g. {@code list table inet fw4}.
     * Equals {@code nft -s list ...}.
     *
     * @throws NftException when nft refuses the command (e.g. the table does not exist)
     */
    String list(String command);

    /**
     * Like {@link #list} but without the elements of named sets (rules and set declarations only).
     * Equals {@code nft -s -t list ...}.
     */
    String listTerse(String command);

    /**
     * nft's text listing with counter values ({@code counter packets N bytes M}), for showing them, never for
     * comparing rules. Equals {@code nft list ...}.
     *
     * @throws NftException when nft refuses the command (e.g. the chain does not exist)
     */
    String listWithCounters(String command);

    /**
     * nft's JSON listing, with set elements. Equals {@code nft -j list ...}.
     */
    String listJson(String command);

    /** For logs: {@code libnftables.so.1 in netns X} or {@code /usr/sbin/nft in netns X}. */
    String name();

    /** Frees the context / stops using the namespace. Further calls fail. */
    @Override
    void close();
}

package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.plan.NftSet;
import org.mwan4.plan.Op;

/**
 * One step's ops split so the elements of our interval sets take the direct netlink path
 * ({@link NftBackend#applyElements}) while everything else goes through nft as script text. libnftables cannot
 * carry our element messages inside its own batch, so a step becomes three nft transactions, applied in
 * this order:
 * <ol>
 *   <li>{@link #before}: every nft op up to the last element change, except those changes; a new set of ours is
 *       created here empty (its elements move to the next part);</li>
 *   <li>{@link #elements}: the element changes, one batch, each set's deletes before its adds;</li>
 *   <li>{@link #after}: the rest (new and rewritten chains, deleted chains and sets).</li>
 * </ol>
 * With the planner's op order (sets, then elements, then chains; see {@code org.mwan4.plan.Diff}) traffic never
 * sees a half-filled set: a new set gets its elements before {@link #after} adds the rules that use it, and an
 * existing set switches from its old to its new elements in one commit. The one window: a set whose key type
 * changes is re-created, and the chains using it stay flushed from {@link #before} until {@link #after}.
 * When a later part fails, the earlier ones stay applied: re-read the kernel ({@link NftReader}) and re-plan; the
 * diff then brings the rest.
 *
 * <p>The kernel does not merge intervals (nft's {@code auto-merge} is userspace), so the prefixes handed over must
 * be disjoint from each other and from what stays in the set. The planner's managed sets are {@code flags interval}
 * without auto-merge and hold normalized, non-overlapping prefixes, so this holds; nft itself would refuse
 * overlaps on those sets too ("conflicting intervals specified").
 *
 * <p>When no op changes elements of our interval sets, or the ops are in an order this split cannot keep (a set
 * deleted or re-created after an element change of it), nothing takes the direct path: {@link #before} holds every
 * nft op, as one transaction.
 *
 * @param before    nft ops for the first transaction
 * @param elements  element changes of our interval sets, in order of first appearance
 * @param after     nft ops for the last transaction
 * @param rtnetlink ip rule and route ops, in order: not nft's, left to the rtnetlink client
 */
public record NftStep(List<Op> before, List<SetElements> elements, List<Op> after, List<Op> rtnetlink) {
    /** Names of the sets whose elements may take the direct path: {@code mwan4_<kind>_ipv4|ipv6}. */
    private static final List<String> DIRECT_KINDS = List.of("mwan4_connected_", "mwan4_custom_", "mwan4_dynamic_");

    public NftStep {
        before = List.copyOf(before);
        elements = List.copyOf(elements);
        after = List.copyOf(after);
        rtnetlink = List.copyOf(rtnetlink);
    }

    /** Splits {@code ops} (a step in the planner's order). */
    public static NftStep of(List<Op> ops) {
        int last = -1;
        for (int i = 0; i < ops.size(); i++) {
            if (direct(ops.get(i)).isPresent()) {
                last = i;
            }
        }
        if (last < 0) {
            return new NftStep(ops.stream().filter(o -> !isRtnetlink(o)).toList(), List.of(), List.of(),
                    ops.stream().filter(NftStep::isRtnetlink).toList());
        }
        List<Op> before = new ArrayList<>();
        List<Op> after = new ArrayList<>();
        List<Op> rtnetlink = new ArrayList<>();
        SequencedMap<String, Change> changes = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Optional<Change> d = i <= last ? direct(op) : Optional.empty();
            if (isRtnetlink(op)) {
                rtnetlink.add(op);
            } else if (i <= last && redefinesChangedSet(op, changes)) {
                // the set's definition changes after its elements did: keep the step in one nft transaction
                return new NftStep(ops.stream().filter(o -> !isRtnetlink(o)).toList(), List.of(), List.of(),
                        ops.stream().filter(NftStep::isRtnetlink).toList());
            } else if (d.isEmpty()) {
                (i <= last ? before : after).add(op);
            } else {
                Change c = d.get();
                if (op instanceof Op.AddSet a) {
                    NftSet s = a.set();
                    before.add(new Op.AddSet(new NftSet(s.name(), s.keyType(), s.interval(), s.timeoutSeconds(), new TreeSet<>(), true)));
                }
                changes.merge(c.set(), c, Change::plus);
            }
        }
        List<SetElements> elements = new ArrayList<>();
        for (Change c : changes.values()) {
            elements.add(new SetElements(c.set(), c.family(), c.added(), c.removed()));
        }
        return new NftStep(before, elements, after, rtnetlink);
    }

    /**
     * Whether {@code set} is one of ours whose elements may take the direct path: {@code mwan4_connected_*},
     * {@code mwan4_custom_*}, {@code mwan4_dynamic_*} ending in {@code _ipv4} or {@code _ipv6}.
     */
    public static boolean isDirect(String set) {
        return DIRECT_KINDS.stream().anyMatch(set::startsWith) && family(set).isPresent();
    }

    /** True when this step has nothing for nft at all. */
    public boolean isEmpty() {
        return before.isEmpty() && elements.isEmpty() && after.isEmpty();
    }

    private record Change(String set, Family family, SortedSet<Cidr> added, SortedSet<Cidr> removed) {
        Change plus(Change o) {
            TreeSet<Cidr> a = new TreeSet<>(added);
            a.addAll(o.added());
            TreeSet<Cidr> r = new TreeSet<>(removed);
            r.addAll(o.removed());
            return new Change(set, family, a, r);
        }
    }

    /** The element change {@code op} makes to one of our interval sets, if it may take the direct path. */
    private static Optional<Change> direct(Op op) {
        return switch (op) {
            case Op.AddElements a -> change(a.set(), a.elements(), true);
            case Op.DeleteElements d -> change(d.set(), d.elements(), false);
            case Op.AddSet a -> {
                NftSet s = a.set();
                boolean plain = s.interval() && s.managedElements() && s.timeoutSeconds() == 0 && !s.elements().isEmpty()
                        && family(s.name()).map(f -> s.keyType().equals(f == Family.IPV4 ? "ipv4_addr" : "ipv6_addr")).orElse(false);
                yield plain ? change(s.name(), s.elements(), true) : Optional.empty();
            }
            case Op.DeleteSet _, Op.AddChain _, Op.ReplaceChain _, Op.DeleteChain _,
                 Op.AddIpRule _, Op.DeleteIpRule _, Op.AddRoute _, Op.DeleteRoute _ -> Optional.empty();
        };
    }

    private static Optional<Change> change(String set, SortedSet<Cidr> prefixes, boolean add) {
        Optional<Family> f = isDirect(set) ? family(set) : Optional.empty();
        if (f.isEmpty() || prefixes.stream().anyMatch(c -> c.family() != f.get())) {
            return Optional.empty(); // nft's parser gives the better error for a wrong family
        }
        TreeSet<Cidr> none = new TreeSet<>();
        return Optional.of(add ? new Change(set, f.get(), prefixes, none) : new Change(set, f.get(), none, prefixes));
    }

    private static boolean redefinesChangedSet(Op op, Map<String, Change> changes) {
        return switch (op) {
            case Op.AddSet a -> changes.containsKey(a.set().name());
            case Op.DeleteSet d -> changes.containsKey(d.name());
            case Op.AddElements _, Op.DeleteElements _, Op.AddChain _, Op.ReplaceChain _, Op.DeleteChain _,
                 Op.AddIpRule _, Op.DeleteIpRule _, Op.AddRoute _, Op.DeleteRoute _ -> false;
        };
    }

    /** Whether {@code op} goes to nftables (else to rtnetlink). */
    public static boolean isNft(Op op) {
        return !isRtnetlink(op);
    }

    private static boolean isRtnetlink(Op op) {
        return switch (op) {
            case Op.AddIpRule _, Op.DeleteIpRule _, Op.AddRoute _, Op.DeleteRoute _ -> true;
            case Op.AddSet _, Op.DeleteSet _, Op.AddElements _, Op.DeleteElements _, Op.AddChain _, Op.ReplaceChain _,
                 Op.DeleteChain _ -> false;
        };
    }

    private static Optional<Family> family(String set) {
        if (set.endsWith("_ipv4")) {
            return Optional.of(Family.IPV4);
        }
        return set.endsWith("_ipv6") ? Optional.of(Family.IPV6) : Optional.empty();
    }
}

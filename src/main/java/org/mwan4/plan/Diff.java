package org.mwan4.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.SortedSet;
import java.util.TreeSet;
import org.mwan4.config.Cidr;

/**
 * {@code diff(have, want)}: the fewest operations that turn {@code have} into {@code want}, in an order the
 * kernel accepts when all nft ops go in one transaction (commands run in order inside it):
 *
 * <ol>
 *   <li>routes deleted, routes added (an IPv6 route with an existing key would otherwise join it as a
 *       multipath hop), ip rules added;</li>
 *   <li>chains that use a set whose definition changes are flushed, so the set can be deleted and re-added;</li>
 *   <li>new sets; elements deleted, then added (interval elements must never overlap in between);</li>
 *   <li>new chains, jump targets before the chains that jump to them;</li>
 *   <li>changed chains rewritten (flush + add rules): this drops every jump to a chain about to go;</li>
 *   <li>old chains deleted, the ones that jump before the ones jumped to; then old sets;</li>
 *   <li>ip rules deleted (last: traffic keeps a rule until nft stopped marking it).</li>
 * </ol>
 *
 * A set's elements are compared only when {@code want} manages them (the kernel fills sticky sets, users the
 * dynamic ones). {@code diff(x, x)} is empty.
 */
public final class Diff {
    private Diff() {}

    public static List<Op> diff(Desired have, Desired want) {
        List<Op> ops = new ArrayList<>();
        minus(have.routes(), want.routes()).forEach(r -> ops.add(new Op.DeleteRoute(r)));
        minus(want.routes(), have.routes()).forEach(r -> ops.add(new Op.AddRoute(r)));
        minus(want.ipRules(), have.ipRules()).forEach(r -> ops.add(new Op.AddIpRule(r)));
        nft(have, want, ops);
        minus(have.ipRules(), want.ipRules()).forEach(r -> ops.add(new Op.DeleteIpRule(r)));
        return ops;
    }

    private static void nft(Desired have, Desired want, List<Op> ops) {
        SortedSet<String> redefined = new TreeSet<>();
        boolean sameSets = have.sets() == want.sets();
        for (NftSet w : sameSets ? List.<NftSet>of() : want.sets().values()) {
            NftSet h = have.sets().get(w.name());
            if (h != null && !sameDefinition(h, w)) {
                redefined.add(w.name());
            }
        }
        SortedSet<String> flushed = new TreeSet<>();
        for (NftChain h : redefined.isEmpty() ? List.<NftChain>of() : have.chains().values()) {
            if (References.sets(h.rules()).stream().anyMatch(redefined::contains)) {
                flushed.add(h.name());
                ops.add(new Op.ReplaceChain(new NftChain(h.name(), h.hook(), List.of())));
            }
        }
        for (String name : redefined) {
            ops.add(new Op.DeleteSet(name));
            ops.add(new Op.AddSet(want.sets().get(name)));
        }
        for (NftSet w : sameSets ? List.<NftSet>of() : want.sets().values()) {
            NftSet h = have.sets().get(w.name());
            if (h == null) {
                ops.add(new Op.AddSet(w));
            } else if (h != w && !redefined.contains(w.name()) && w.managedElements()) {
                SortedSet<Cidr> gone = minus(h.elements(), w.elements());
                SortedSet<Cidr> fresh = minus(w.elements(), h.elements());
                if (!gone.isEmpty()) {
                    ops.add(new Op.DeleteElements(w.name(), gone));
                }
                if (!fresh.isEmpty()) {
                    ops.add(new Op.AddElements(w.name(), fresh));
                }
            }
        }
        List<String> rehooked = new ArrayList<>();
        SequencedSet<String> added = new LinkedHashSet<>();
        for (NftChain w : want.chains().values()) {
            NftChain h = have.chains().get(w.name());
            if (h != null && !Objects.equals(h.hook(), w.hook())) {
                rehooked.add(w.name());
            }
            if (h == null || rehooked.contains(w.name())) {
                added.add(w.name());
            }
        }
        for (String name : rehooked) {
            ops.add(new Op.DeleteChain(name));
        }
        for (String name : targetsFirst(want.chains(), added)) {
            ops.add(new Op.AddChain(want.chains().get(name)));
        }
        for (NftChain w : want.chains().values()) {
            NftChain h = have.chains().get(w.name());
            if (h != null && !added.contains(w.name()) && (flushed.contains(w.name()) || (h != w && !h.rules().equals(w.rules())))) {
                ops.add(new Op.ReplaceChain(w));
            }
        }
        SequencedSet<String> removed = new LinkedHashSet<>();
        for (String name : have.chains().keySet()) {
            if (!want.chains().containsKey(name)) {
                removed.add(name);
            }
        }
        for (String name : targetsFirst(have.chains(), removed).reversed()) {
            ops.add(new Op.DeleteChain(name));
        }
        for (String name : sameSets ? List.<String>of() : have.sets().keySet()) {
            if (!want.sets().containsKey(name)) {
                ops.add(new Op.DeleteSet(name));
            }
        }
    }

    /** The kernel's view of a set: what cannot change without deleting it (elements aside). */
    static boolean sameDefinition(NftSet a, NftSet b) {
        return a.keyType().equals(b.keyType()) && a.interval() == b.interval() && a.timeoutSeconds() == b.timeoutSeconds();
    }

    /** The elements of {@code a} not in {@code b}, by one walk over both (same natural order); none when they are one instance. */
    static <T extends Comparable<? super T>> SortedSet<T> minus(SortedSet<T> a, SortedSet<T> b) {
        TreeSet<T> out = new TreeSet<>();
        if (a == b) {
            return out;
        }
        java.util.Iterator<T> ib = b.iterator();
        T y = ib.hasNext() ? ib.next() : null;
        for (T x : a) {
            int c = -1;
            while (y != null && (c = x.compareTo(y)) > 0) {
                y = ib.hasNext() ? ib.next() : null;
            }
            if (y == null || c < 0) {
                out.add(x);
            }
        }
        return out;
    }

    /** The chains of {@code subset} ordered so that every chain comes after the chains of the subset it jumps to. */
    static List<String> targetsFirst(Map<String, NftChain> chains, SequencedSet<String> subset) {
        List<String> out = new ArrayList<>();
        SequencedSet<String> done = new LinkedHashSet<>();
        for (String name : subset) {
            visit(name, chains, subset, done, out, 0);
        }
        return out;
    }

    private static void visit(String name, Map<String, NftChain> chains, SequencedSet<String> subset,
                              SequencedSet<String> done, List<String> out, int depth) {
        // nft allows no jump loops, and chains.size() bounds any acyclic path
        if (!done.add(name) || depth > chains.size()) {
            return;
        }
        for (String target : References.jumps(chains.get(name).rules())) {
            if (subset.contains(target)) {
                visit(target, chains, subset, done, out, depth + 1);
            }
        }
        out.add(name);
    }
}

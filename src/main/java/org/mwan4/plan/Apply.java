package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;

/**
 * {@code apply(desired, ops)}: what the kernel holds after the ops, computed without a kernel, refusing what
 * the kernel refuses inside one nft transaction (a name that already exists or is missing, a jump to a chain
 * that does not exist, deleting a chain or set something still refers to, overlapping interval elements,
 * deleting an element that is not there). Only names of ours ({@code mwan4_*}) are checked: a user's set
 * in a rule lives outside the plan. The property {@code apply(a, diff(a, b)) == b} is tested with it.
 */
public final class Apply {
    private Apply() {}

    /** @throws IllegalStateException naming the op (1-based) and what the kernel would have refused */
    public static Desired apply(Desired start, List<Op> ops) {
        TreeMap<String, NftSet> sets = new TreeMap<>(start.sets());
        TreeMap<String, NftChain> chains = new TreeMap<>(start.chains());
        TreeSet<IpRule> rules = new TreeSet<>(start.ipRules());
        TreeSet<IpRoute> routes = new TreeSet<>(start.routes());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String refused = step(op, sets, chains, rules, routes);
            if (refused != null) {
                throw new IllegalStateException("op " + (i + 1) + " of " + ops.size() + " (" + op + ") refused: " + refused);
            }
        }
        return new Desired(sets, chains, rules, routes);
    }

    /** Applies one op; returns why the kernel would refuse it, or null. */
    private static String step(Op op, Map<String, NftSet> sets, Map<String, NftChain> chains, SortedSet<IpRule> rules,
                               SortedSet<IpRoute> routes) {
        return switch (op) {
            case Op.AddSet a -> {
                if (sets.containsKey(a.set().name())) {
                    yield "set " + a.set().name() + " exists";
                }
                String overlap = a.set().interval() ? overlap(a.set().elements(), new TreeSet<>()) : null;
                if (overlap != null) {
                    yield overlap;
                }
                sets.put(a.set().name(), a.set());
                yield null;
            }
            case Op.DeleteSet d -> {
                if (!sets.containsKey(d.name())) {
                    yield "no set " + d.name();
                }
                String user = chains.values().stream().filter(c -> References.sets(c.rules()).contains(d.name()))
                        .map(NftChain::name).findFirst().orElse(null);
                if (user != null) {
                    yield "set " + d.name() + " is used by chain " + user;
                }
                sets.remove(d.name());
                yield null;
            }
            case Op.AddElements a -> {
                NftSet s = sets.get(a.set());
                if (s == null) {
                    yield "no set " + a.set();
                }
                String overlap = s.interval() ? overlap(a.elements(), s.elements()) : null;
                if (overlap != null) {
                    yield overlap;
                }
                TreeSet<Cidr> e = new TreeSet<>(s.elements());
                e.addAll(a.elements());
                sets.put(s.name(), withElements(s, e));
                yield null;
            }
            case Op.DeleteElements d -> {
                NftSet s = sets.get(d.set());
                if (s == null) {
                    yield "no set " + d.set();
                }
                if (!s.elements().containsAll(d.elements())) {
                    yield "element does not exist in " + d.set();
                }
                TreeSet<Cidr> e = new TreeSet<>(s.elements());
                e.removeAll(d.elements());
                sets.put(s.name(), withElements(s, e));
                yield null;
            }
            case Op.AddChain a -> {
                if (chains.containsKey(a.chain().name())) {
                    yield "chain " + a.chain().name() + " exists";
                }
                chains.put(a.chain().name(), new NftChain(a.chain().name(), a.chain().hook(), List.of()));
                String missing = missingReference(a.chain(), sets, chains);
                if (missing != null) {
                    chains.remove(a.chain().name());
                    yield missing;
                }
                chains.put(a.chain().name(), a.chain());
                yield null;
            }
            case Op.ReplaceChain r -> {
                NftChain old = chains.get(r.chain().name());
                if (old == null) {
                    yield "no chain " + r.chain().name();
                }
                if (!java.util.Objects.equals(old.hook(), r.chain().hook())) {
                    yield "flush and refill cannot change the hook of " + r.chain().name();
                }
                String missing = missingReference(r.chain(), sets, chains);
                if (missing != null) {
                    yield missing;
                }
                chains.put(r.chain().name(), r.chain());
                yield null;
            }
            case Op.DeleteChain d -> {
                if (!chains.containsKey(d.name())) {
                    yield "no chain " + d.name();
                }
                String user = chains.values().stream().filter(c -> !c.name().equals(d.name()))
                        .filter(c -> References.jumps(c.rules()).contains(d.name())).map(NftChain::name).findFirst().orElse(null);
                if (user != null) {
                    yield "chain " + d.name() + " is still a jump target of " + user;
                }
                chains.remove(d.name());
                yield null;
            }
            case Op.AddIpRule a -> rules.add(a.rule()) ? null : "ip rule exists: " + a.rule();
            case Op.DeleteIpRule d -> rules.remove(d.rule()) ? null : "no such ip rule: " + d.rule();
            case Op.AddRoute a -> routes.add(a.route()) ? null : "route exists: " + a.route();
            case Op.DeleteRoute d -> routes.remove(d.route()) ? null : "no such route: " + d.route();
        };
    }

    private static String missingReference(NftChain chain, Map<String, NftSet> sets, Map<String, NftChain> chains) {
        for (String target : References.jumps(chain.rules())) {
            if (!chains.containsKey(target)) {
                return "chain " + chain.name() + " jumps to missing chain " + target;
            }
        }
        for (String set : References.sets(chain.rules())) {
            if (set.startsWith("mwan4_") && !sets.containsKey(set)) {
                return "chain " + chain.name() + " uses missing set " + set;
            }
        }
        return null;
    }

    /** The first element of {@code added} that overlaps another one or one of {@code existing}, as nft reports it. */
    private static String overlap(SortedSet<Cidr> added, SortedSet<Cidr> existing) {
        List<Cidr> all = new ArrayList<>(added);
        for (Cidr a : added) {
            for (Cidr e : existing) {
                if (!a.equals(e) && (Prefixes.covers(a, e) || Prefixes.covers(e, a))) {
                    return "conflicting intervals specified: " + a + " and " + e;
                }
            }
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (Prefixes.covers(all.get(i), all.get(j)) || Prefixes.covers(all.get(j), all.get(i))) {
                    return "conflicting intervals specified: " + all.get(i) + " and " + all.get(j);
                }
            }
        }
        return null;
    }

    private static NftSet withElements(NftSet s, SortedSet<Cidr> elements) {
        return new NftSet(s.name(), s.keyType(), s.interval(), s.timeoutSeconds(), elements, s.managedElements());
    }
}

package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Marks;
import org.mwan4.core.UseCgroups;

/**
 * {@code mwan4_prerouting} and {@code mwan4_output}, in the order of mwan3-reference "Hook chain order":
 *
 * <pre>
 * icmpv6 type { nd-router-solicit, ... } return                  1. IPv6 ND never gets a mark
 * unmarked ct mark &amp; M == v meta mark set meta mark | v          2. restore (one rule per mark we hand out)
 * unmarked jump mwan4_ifaces_in                                 3. traffic arriving on a WAN
 * unmarked ip daddr @mwan4_custom_ipv4 meta mark set ... default 4. custom/connected/dynamic destinations
 * unmarked meta nfproto ipv4 jump mwan4_rules_ipv4              5. user rules, per family
 * meta mark &amp; M == v ct mark &amp; M != v ct mark set ...            6. save (one rule per mark)
 * not default ip daddr @mwan4_custom_ipv4 meta mark set ...      7. connected destinations always route normally
 * </pre>
 *
 * {@code mwan4_output} has one more rule per interface between 2 and 3 when the daemon prepared {@code mwan4 use}
 * cgroups ({@link #outputRules}): the sockets of a command run with {@code mwan4 use IFACE} get IFACE's mark, which 6
 * saves to the connection like any other.
 *
 * <p>The sets are jump targets in the analysis doc, which nft does not allow; they are lookups here.
 * The rules chains and {@code mwan4_ifaces_in} always exist (10-mwan4-base declares them).
 */
final class HookChains {
    static final String ND_RETURN = "icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, "
            + "nd-neighbor-advert, nd-redirect } return";
    static final List<String> SET_KINDS = List.of("custom", "connected", "dynamic");

    private HookChains() {}

    static void add(PlanContext ctx, SortedMap<String, NftChain> chains) {
        List<String> rules = rules(ctx);
        chains.put(NftText.PREROUTING, new NftChain(NftText.PREROUTING, new NftChain.Hook("filter", "prerouting", "mangle"), rules));
        chains.put(NftText.OUTPUT, new NftChain(NftText.OUTPUT, new NftChain.Hook("route", "output", "mangle"),
                outputRules(ctx, rules)));
    }

    /**
     * {@code rules} with, after the restore rules, {@code unmarked socket cgroupv2 level 2 "mwan4/wan" meta mark set
     * <wan's mark>} for each enabled interface whose {@code mwan4 use} cgroup exists (config order). Router-originated
     * traffic only: the output hook sees the local socket, prerouting never does.
     */
    static List<String> outputRules(PlanContext ctx, List<String> rules) {
        UseCgroups use = ctx.state().useCgroups();
        Marks marks = ctx.config().marks();
        List<String> extra = new ArrayList<>();
        for (Interface i : ctx.config().interfaces()) {
            if (i.enabled() && i.id() >= 1 && i.id() <= marks.maxInterfaces() && use.ready(i.name())) {
                extra.add(ctx.marks().unmarked() + " " + use.nftMatch(i.name()) + " " + ctx.marks().set(marks.interfaceMark(i.id())));
            }
        }
        if (extra.isEmpty()) {
            return rules;
        }
        List<String> out = new ArrayList<>(rules);
        out.addAll(1 + marksHandedOut(ctx).size(), extra); // after ND return and the restores
        return out;
    }

    static List<String> rules(PlanContext ctx) {
        MarkText m = ctx.marks();
        Marks marks = ctx.config().marks();
        int dflt = marks.defaultMark();
        List<Integer> ours = marksHandedOut(ctx);
        List<String> r = new ArrayList<>();
        r.add(ND_RETURN);
        for (int mark : ours) {
            r.add(m.unmarked() + " " + m.restore(mark));
        }
        r.add(m.unmarked() + " jump " + NftText.IFACES_IN);
        for (Family f : Family.values()) {
            for (String kind : SET_KINDS) {
                r.add(m.unmarked() + " " + f.nftFamily() + " daddr @" + NftText.addressSet(kind, f) + " " + m.set(dflt));
            }
        }
        for (Family f : Family.values()) {
            r.add(m.unmarked() + " meta nfproto " + f.id() + " jump " + NftText.rulesChain(f));
        }
        for (int mark : ours) {
            r.add(m.is(mark) + " " + m.save(mark));
        }
        for (Family f : Family.values()) {
            for (String kind : SET_KINDS) {
                r.add(m.isNot(dflt) + " " + f.nftFamily() + " daddr @" + NftText.addressSet(kind, f) + " " + m.set(dflt));
            }
        }
        return r;
    }

    /** Every mark a rule of ours can set: enabled interfaces by id, then default, unreachable, blackhole. */
    static List<Integer> marksHandedOut(PlanContext ctx) {
        Marks marks = ctx.config().marks();
        List<Integer> out = new ArrayList<>();
        for (Interface i : ctx.config().interfaces()) {
            if (i.enabled() && i.id() >= 1 && i.id() <= marks.maxInterfaces()) {
                out.add(marks.interfaceMark(i.id()));
            }
        }
        out.add(marks.defaultMark());
        out.add(marks.unreachableMark());
        out.add(marks.blackholeMark());
        return out;
    }
}

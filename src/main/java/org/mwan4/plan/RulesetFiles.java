package org.mwan4.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.SequencedSet;

/**
 * A whole {@link Desired} as the files fw4 loads from {@code /usr/share/nftables.d/ruleset-post/} (after it
 * created {@code table inet fw4} anew, so {@code fw4 reload} restores mwan4's state) plus {@code ip-rules.txt}
 * and {@code routes.txt}:
 * <ul>
 *   <li>10-mwan4-base: the connected/custom/dynamic sets and the two hook chains (it declares the chains they
 *       jump to, which the later files fill);</li>
 *   <li>11-mwan4-interfaces: {@code mwan4_iface_in_*} and {@code mwan4_ifaces_in};</li>
 *   <li>12-mwan4-strategies: {@code mwan4_strategy_*};</li>
 *   <li>13-mwan4-rules: sticky sets and chains, {@code mwan4_rules_*}.</li>
 * </ul>
 * Each file declares what it fills, flushes it, then fills it: loaded again into the same table it neither
 * fails nor duplicates a rule. Sets the kernel or the user fill (sticky, dynamic) are declared, never flushed.
 *
 * <p>The {@code mwan4 use} rules ({@code socket cgroupv2 ...}) are left out: nft refuses a rule whose cgroup directory
 * does not exist, and fw4 may load these files when it does not (after a reboot, before mwan4 starts; after mwan4
 * stopped and removed its cgroups). A running daemon sees fw4's change and puts them back.
 */
public final class RulesetFiles {
    public static final String IP_RULES = "ip-rules.txt";
    public static final String ROUTES = "routes.txt";
    /** What only the {@code mwan4 use} rules hold. */
    static final String CGROUP_MATCH = " socket cgroupv2 ";

    private RulesetFiles() {}

    /** File name -> content, in load order: the four nft files, then ip-rules.txt and routes.txt. */
    public static SequencedMap<String, String> render(Desired d, NftTemplates templates) {
        SequencedMap<String, String> out = new LinkedHashMap<>();
        for (String file : NftTemplates.FILES) {
            out.put(file, nftFile(d, file, templates.of(file)));
        }
        out.put(IP_RULES, IpRender.rulesFile(d.ipRules()));
        out.put(ROUTES, IpRender.routesFile(d.routes()));
        return out;
    }

    /** Which file holds an object of ours, by its name. */
    static String fileOf(String name) {
        if (name.startsWith("mwan4_iface_in_") || name.equals(NftText.IFACES_IN)) {
            return NftTemplates.INTERFACES;
        }
        if (name.startsWith("mwan4_strategy_")) {
            return NftTemplates.STRATEGIES;
        }
        if (name.startsWith("mwan4_rule_") || name.startsWith("mwan4_rules_")) {
            return NftTemplates.RULES;
        }
        return NftTemplates.BASE;
    }

    private static String nftFile(Desired d, String file, String template) {
        List<String> declare = new ArrayList<>();
        List<String> flush = new ArrayList<>();
        List<String> define = new ArrayList<>();
        for (NftSet s : d.sets().values()) {
            if (!fileOf(s.name()).equals(file)) {
                continue;
            }
            declare.add("\tset " + s.name() + " { " + NftRender.declaration(s) + " }");
            if (s.managedElements()) {
                flush.add("flush set " + NftRender.TABLE + " " + s.name());
                if (!s.elements().isEmpty()) {
                    define.add("\tset " + s.name() + " {");
                    define.add("\t\t" + NftRender.declaration(s).replace("; ", "\n\t\t").replace(";", ""));
                    define.add("\t\telements = {");
                    List<String> e = s.elements().stream().map(c -> "\t\t\t" + c).toList();
                    for (int i = 0; i < e.size(); i++) {
                        define.add(e.get(i) + (i + 1 < e.size() ? "," : ""));
                    }
                    define.add("\t\t}");
                    define.add("\t}");
                }
            }
        }
        SequencedSet<String> owned = new LinkedHashSet<>();
        for (String name : d.chains().keySet()) {
            if (fileOf(name).equals(file)) {
                owned.add(name);
            }
        }
        if (file.equals(NftTemplates.BASE)) {
            // the hook chains jump to these; later files fill them
            for (String ahead : List.of(NftText.IFACES_IN, NftText.rulesChain(org.mwan4.config.Family.IPV4),
                    NftText.rulesChain(org.mwan4.config.Family.IPV6))) {
                if (d.chains().containsKey(ahead)) {
                    declare.add("\tchain " + ahead + " {");
                    declare.add("\t}");
                }
            }
        }
        for (String name : Diff.targetsFirst(d.chains(), owned)) {
            NftChain c = d.chains().get(name);
            declare.add("\tchain " + name + " {" + (c.hook() == null ? "" : " " + c.hook()));
            declare.add("\t}");
            flush.add("flush chain " + NftRender.TABLE + " " + name);
            if (!c.rules().isEmpty()) {
                define.add("\tchain " + name + " {");
                if (c.hook() != null) {
                    define.add("\t\t" + c.hook());
                }
                c.rules().stream().filter(r -> !r.contains(CGROUP_MATCH)).forEach(r -> define.add("\t\t" + r));
                define.add("\t}");
            }
        }
        return NftTemplates.fill(template, declare, flush, define);
    }
}

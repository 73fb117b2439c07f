package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;

/**
 * {@code mwan4_ifaces_in} dispatches traffic arriving on a WAN device to {@code mwan4_iface_in_{iface}_{family}},
 * which gives it the default mark when its source is in a custom/connected/dynamic set and else the
 * interface's mark, so replies leave by the WAN they came in on. One per usable interface and family whose
 * device is known.
 *
 * <pre>
 * chain mwan4_ifaces_in {
 *   iifname "eth0" meta nfproto ipv4 jump mwan4_iface_in_wan_ipv4
 * }
 * chain mwan4_iface_in_wan_ipv4 {
 *   meta mark &amp; 0x00003f00 == 0x00000000 ip saddr @mwan4_custom_ipv4 meta mark set meta mark | 0x00003f00 comment "default"
 *   ...
 *   meta mark &amp; 0x00003f00 == 0x00000000 meta mark set meta mark &amp; 0xffffc1ff | 0x00000100 comment "wan"
 * }
 * </pre>
 */
final class InterfaceChains {
    private InterfaceChains() {}

    static void add(PlanContext ctx, SortedMap<String, NftChain> chains) {
        MarkText m = ctx.marks();
        int dflt = ctx.config().marks().defaultMark();
        List<String> dispatch = new ArrayList<>();
        for (Interface i : ctx.usable()) {
            Optional<String> dev = ctx.device(i.name());
            if (dev.isEmpty()) {
                continue;
            }
            for (Family f : i.families()) {
                String name = NftText.ifaceInChain(i.name(), f);
                dispatch.add("iifname \"" + dev.get() + "\" meta nfproto " + f.id() + " jump " + name);
                List<String> rules = new ArrayList<>();
                for (String kind : HookChains.SET_KINDS) {
                    rules.add(m.unmarked() + " " + f.nftFamily() + " saddr @" + NftText.addressSet(kind, f) + " "
                            + m.set(dflt) + " " + NftText.comment("default"));
                }
                rules.add(m.unmarked() + " " + m.set(ctx.mark(i)) + " " + NftText.comment(i.name()));
                chains.put(name, new NftChain(name, null, rules));
            }
        }
        chains.put(NftText.IFACES_IN, new NftChain(NftText.IFACES_IN, null, dispatch));
    }
}

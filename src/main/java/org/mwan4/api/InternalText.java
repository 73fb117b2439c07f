package org.mwan4.api;

import org.mwan4.api.view.InternalView;
import org.mwan4.plan.KernelDump;

/**
 * {@code mwan4 internal} as text, mwan3's sections in the words of {@code ip} and {@code nft} (pure):
 *
 * <pre>
 * Output of "ip -4 addr show":
 * 2: wan: &lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt; state UP
 *     inet 192.0.2.2/26 scope global wan
 *
 * Output of "ip -4 route show table main":
 * default via 192.0.2.1 dev wan proto static metric 10
 * </pre>
 */
public final class InternalText {
    private InternalText() {}

    public static String render(InternalView v) {
        String ip = "ip " + ("ipv6".equals(v.family()) ? "-6" : "-4");
        StringBuilder sb = new StringBuilder();
        sb.append("mwan4 internal ").append(v.family()).append(": the daemon's network namespace at ").append(v.now())
                .append("\n\n");
        sb.append("Output of \"").append(ip).append(" addr show\":\n");
        for (KernelDump.Link l : v.links()) {
            sb.append(l.text()).append('\n');
            l.addresses().forEach(a -> sb.append("    ").append(a.text()).append('\n'));
        }
        none(sb, v.links().isEmpty());
        for (KernelDump.Table t : v.tables()) {
            sb.append("\nOutput of \"").append(ip).append(" route show table ").append(t.name()).append("\":\n");
            t.routes().forEach(r -> sb.append(r).append('\n'));
            none(sb, t.routes().isEmpty());
        }
        sb.append("\nOutput of \"").append(ip).append(" rule show\":\n");
        v.rules().forEach(r -> sb.append(r.text()).append('\n'));
        none(sb, v.rules().isEmpty());
        sb.append("\nOutput of \"nft list table inet fw4\" (mwan4's objects for ").append(v.family()).append("):\n");
        if (v.nft().isEmpty()) {
            sb.append("(none: table inet fw4 has no mwan4 objects)\n");
        } else {
            sb.append("table inet fw4 {\n");
            for (int i = 0; i < v.nft().size(); i++) {
                if (i > 0) {
                    sb.append('\n');
                }
                v.nft().get(i).text().lines().forEach(line -> sb.append('\t').append(line).append('\n'));
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static void none(StringBuilder sb, boolean empty) {
        if (empty) {
            sb.append("(none)\n");
        }
    }
}

package org.mwan4.plan;

import org.mwan4.config.Cidr;
import org.mwan4.config.IpAddress;

/**
 * A route in one of our per-interface tables.
 * {@code ip [-6] route add [type] <destination> [from <source>] [via <gateway>] [dev <device>] [proto <p>] [scope <s>] [metric <m>] [src <prefsrc>] table <table>}.
 *
 * @param type     {@code unicast}, {@code unreachable}, {@code blackhole}, ...
 * @param gateway  null for none
 * @param device   "" for none (e.g. unreachable)
 * @param source   {@code from X} (source routing), or null
 * @param prefsrc  {@code src X}, or null
 * @param protocol rtm_protocol (3 boot, 4 static, ...)
 * @param scope    rtm_scope (0 universe, 253 link, 254 host)
 */
public record IpRoute(int table, Cidr destination, String type, IpAddress gateway, String device, int metric,
                      Cidr source, IpAddress prefsrc, int protocol, int scope) implements Comparable<IpRoute> {

    /**
     * By table, routes without a gateway before routes through one (applied in this order, a gateway is always
     * reachable by the time a route uses it), then the kernel's route key (destination, source, metric), then
     * everything else: consistent with equals.
     */
    @Override
    public int compareTo(IpRoute o) {
        if (this == o) {
            return 0;
        }
        int c = Integer.compare(table, o.table);
        if (c == 0) c = Boolean.compare(gateway != null, o.gateway != null);
        if (c == 0) c = compareKey(o);
        if (c == 0) c = type.compareTo(o.type);
        if (c == 0) c = nullsFirst(gateway, o.gateway);
        if (c == 0) c = device.compareTo(o.device);
        if (c == 0) c = nullsFirst(prefsrc, o.prefsrc);
        if (c == 0) c = Integer.compare(protocol, o.protocol);
        if (c == 0) c = Integer.compare(scope, o.scope);
        return c;
    }

    /** The kernel's key of a route within its table: destination, source, metric. */
    int compareKey(IpRoute o) {
        int c = destination.compareTo(o.destination);
        if (c == 0) c = nullsFirst(source, o.source);
        if (c == 0) c = Integer.compare(metric, o.metric);
        return c;
    }

    private static <T extends Comparable<T>> int nullsFirst(T a, T b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!type.equals("unicast")) sb.append(type).append(' ');
        sb.append(destination.isDefault() ? "default" : destination.toString());
        if (source != null) sb.append(" from ").append(source);
        if (gateway != null) sb.append(" via ").append(gateway);
        if (!device.isEmpty()) sb.append(" dev ").append(device);
        if (protocol != 0) sb.append(" proto ").append(protocol);
        if (scope != 0) sb.append(" scope ").append(scope);
        if (metric != 0) sb.append(" metric ").append(metric);
        if (prefsrc != null) sb.append(" src ").append(prefsrc);
        sb.append(" table ").append(table);
        return sb.toString();
    }
}

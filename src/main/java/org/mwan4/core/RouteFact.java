package org.mwan4.core;

import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * A route the kernel holds (RTM_NEWROUTE), in any table.
 *
 * @param table    RTA_TABLE (254 main, 255 local)
 * @param gateway  RTA_GATEWAY, or null
 * @param ifindex  RTA_OIF, or 0
 * @param type     rtm_type: unicast, local, broadcast, unreachable, blackhole, prohibit, ... (lower case, as ip prints)
 * @param protocol rtm_protocol (2 kernel, 3 boot, 4 static, ...)
 * @param scope    rtm_scope (0 universe, 253 link, 254 host)
 * @param source   RTA_SRC prefix ({@code from X}), or null
 * @param prefsrc  RTA_PREFSRC, or null
 */
public record RouteFact(
        int table,
        Family family,
        Cidr destination,
        IpAddress gateway,
        int ifindex,
        int metric,
        String type,
        int protocol,
        int scope,
        Cidr source,
        IpAddress prefsrc) {

    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    public boolean isDefault() {
        return destination.isDefault();
    }
}

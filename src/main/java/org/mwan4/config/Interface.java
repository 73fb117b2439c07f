package org.mwan4.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code config interface 'wan'}.
 *
 * @param name     the network interface name (e.g. {@code wan}), also the nft chain suffix
 * @param id       1-based position among all interface sections, enabled or not: table number and mark index
 * @param device   {@code option device} (mwan4 extension): the Linux device when there is no /etc/config/network
 * @param families {@code list family} (default ipv4), one tracker per family
 * @param flushConntrack actions after which this interface's conntrack entries are flushed
 */
public record Interface(
        String name,
        int id,
        boolean enabled,
        Optional<String> device,
        List<Family> families,
        InitialState initialState,
        Tracking tracking,
        Set<HookAction> flushConntrack,
        Position position) {

    public enum InitialState { ONLINE, OFFLINE }

    public Interface {
        families = List.copyOf(families);
        flushConntrack = Sets.enumSet(HookAction.class, flushConntrack);
    }

    public boolean has(Family f) {
        return families.contains(f);
    }
}

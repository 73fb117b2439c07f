package org.mwan4.core;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where {@code mwan4 use IFACE CMD} runs commands: one cgroup v2 directory per interface, {@code directory/IFACE},
 * which the daemon made. The planner gives the sockets of each such cgroup the interface's mark in the output hook
 * ({@code socket cgroupv2 level LEVEL "NFTPATH/IFACE"}).
 *
 * @param directory  the absolute directory holding the per-interface cgroups ({@code /sys/fs/cgroup/mwan4}); empty
 *                   when there are none
 * @param nftPath    the same directory as nft 1.0.6 names it: relative to {@code /sys/fs/cgroup/}, which nft prefixes
 *                   to the path it stat()s ({@code unified/mwan4} when cgroup2 is mounted at /sys/fs/cgroup/unified)
 * @param level      the depth of an interface's cgroup below the cgroup2 root ({@code mwan4/wan} is 2)
 * @param interfaces the interfaces whose directory exists
 * @param problem    why {@code mwan4 use} cannot work (e.g. cgroup2 is not mounted); empty when it can
 */
public record UseCgroups(String directory, String nftPath, int level, SortedSet<String> interfaces, String problem) {

    /** Before the daemon said anything about cgroups (also every state built without them). */
    public static final UseCgroups NONE = new UseCgroups("", "", 0, new TreeSet<>(),
            "the daemon has not prepared cgroups for mwan4 use");

    public UseCgroups {
        interfaces = Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
    }

    public static UseCgroups of(Event.UseCgroupsPrepared e) {
        return new UseCgroups(e.directory(), e.nftPath(), e.level(), new TreeSet<>(e.interfaces()), e.problem());
    }

    /** Whether commands can be put into this interface's cgroup (its directory exists and nothing is wrong). */
    public boolean ready(String iface) {
        return problem.isEmpty() && interfaces.contains(iface);
    }

    /** {@code /sys/fs/cgroup/mwan4/wan}. */
    public String directoryOf(String iface) {
        return directory + "/" + iface;
    }

    /** {@code socket cgroupv2 level 2 "mwan4/wan"}, the match as nft 1.0.6 prints it. */
    public String nftMatch(String iface) {
        return "socket cgroupv2 level " + level + " \"" + nftPath + "/" + iface + "\"";
    }
}

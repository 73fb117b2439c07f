package org.mwan4.core;

import java.time.Instant;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Everything that can happen to mwan4, as immutable facts in the past tense. Each carries its own
 * timestamp: the reducer never reads a clock. The event log stores them one per line (JSON Lines)
 * with a sequence number and a type tag equal to the record's simple name.
 */
public sealed interface Event {

    Instant at();

    /** The config file was read. Carries the text, so a replay never needs the file. */
    record ConfigLoaded(Instant at, String path, String text, String networkPath, String networkText) implements Event {}

    /** RTM_NEWLINK: a link appeared or changed. {@code operstate} as iproute2 prints it (UP, DOWN, LOWERLAYERDOWN, UNKNOWN...). */
    record LinkChanged(Instant at, int ifindex, String name, boolean adminUp, boolean carrier, String operstate) implements Event {}

    /** RTM_DELLINK. */
    record LinkRemoved(Instant at, int ifindex, String name) implements Event {}

    /** RTM_NEWADDR: {@code address} keeps its host part and prefix length, e.g. 192.0.2.5/24. */
    record AddressAdded(Instant at, int ifindex, Cidr address) implements Event {}

    /** RTM_DELADDR. */
    record AddressRemoved(Instant at, int ifindex, Cidr address) implements Event {}

    /** RTM_NEWROUTE in any table. */
    record RouteAdded(Instant at, RouteFact route) implements Event {}

    /** RTM_DELROUTE in any table. */
    record RouteRemoved(Instant at, RouteFact route) implements Event {}

    /**
     * The kernel's link/address/route facts were dumped anew (at start, or after a netlink overrun):
     * they replace everything the state knew.
     */
    record NetlinkResynced(Instant at, List<LinkChanged> links, List<AddressAdded> addresses, List<RouteFact> routes) implements Event {
        public NetlinkResynced {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
        }
    }

    /** One probe round (or, in continuous mode, one window evaluation) of one tracker ended. */
    record ProbeRoundFinished(Instant at, String iface, Family family, List<TargetResult> results) implements Event {
        public ProbeRoundFinished {
            results = List.copyOf(results);
        }
    }

    /**
     * What one target did in a round. {@code latencyMs} is null when nothing answered;
     * {@code jitterMs} is null outside continuous mode.
     */
    record TargetResult(IpAddress target, TargetStatus status, Double latencyMs, int lossPercent, Double jitterMs) {}

    enum TargetStatus { UP, DOWN, SKIPPED }

    /** An operator said {@code mwan4 ifup/ifdown IFACE} or {@code mwan4 reload} (iface empty). */
    record OperatorCommanded(Instant at, Command command, String iface) implements Event {}

    enum Command { IFUP, IFDOWN, RELOAD }

    /** The clock moved on (the only way time reaches the reducer besides other events' stamps). */
    record Ticked(Instant at) implements Event {}

    /** A kernel transaction was rejected; the runtime re-reads the kernel and re-plans. */
    record KernelApplyFailed(Instant at, String message) implements Event {}

    /** Our nft objects were found missing (e.g. {@code fw4 reload} or {@code nft flush table inet fw4}). */
    record ChainsMissing(Instant at, List<String> missing) implements Event {
        public ChainsMissing {
            missing = List.copyOf(missing);
        }
    }

    /**
     * The daemon applied one kernel step covering the events up to {@code throughSeq} (it coalesces bursts, so
     * not every event gets a step of its own). The reducer ignores it; a replay diffs at exactly these points.
     *
     * @param readBack null when the step diffed against the previous step's plan; otherwise what it read back from
     *                 the kernel and diffed against (at start, after a failure, after an external change), as the
     *                 runtime's JSON text of the plan model (opaque here: core does not know the plan types)
     */
    record KernelStepApplied(Instant at, long throughSeq, String readBack) implements Event {}

    /**
     * The daemon made (or found) the cgroup v2 directories {@code mwan4 use} runs commands in, one per interface
     * (at start and at each reload), or found it cannot: see {@link UseCgroups} for the fields. Replaces what the
     * state knew about them.
     *
     * @param problem why {@code mwan4 use} cannot work (cgroup2 not mounted, not under /sys/fs/cgroup, mkdir
     *                failed); empty when it can
     */
    record UseCgroupsPrepared(Instant at, String directory, String nftPath, int level, List<String> interfaces,
                              String problem) implements Event {
        public UseCgroupsPrepared {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** The daemon is stopping: trackers stop and hooks fire with the shutdown flag. */
    record ShutdownRequested(Instant at, boolean keepRules) implements Event {}
}

package org.mwan4.kernel.netlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.IpRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches links, addresses, routes (every table, IPv4 and IPv6) and rules of one network namespace,
 * like {@code ip monitor link address route rule}, and hands them to a {@link Listener} in kernel order
 * on its own platform thread.
 *
 * <p>Start subscribes first, then dumps everything (on a second socket) and delivers it as one
 * {@link Event.NetlinkResynced}; notifications that arrived meanwhile follow it, so nothing between
 * subscription and dump is lost (replaying them over the snapshot converges, as each carries the full
 * object). When the kernel reports ENOBUFS (the receive buffer overflowed and notifications were dropped),
 * or a datagram does not parse, the monitor dumps again and delivers a fresh {@code NetlinkResynced}:
 * a change is never lost silently.
 *
 * <p>Before each dump the notification queue is drained until empty. After an overrun the kernel marks
 * the socket congested: it drops every further notification, without a second ENOBUFS, until a receive
 * finds the queue empty (netlink_overrun / netlink_rcv_wake in net/netlink/af_netlink.c). Draining first
 * ends that state, and whatever the drain throws away happened before the dump, which covers it.
 *
 * <p>Route storms: above {@value #STORM_ROUTES} route notifications in {@value #STORM_WINDOW_MS} ms, route
 * notifications are no longer handed over one by one; a snapshot follows every {@value #STORM_SNAPSHOT_MS} ms while
 * the storm lasts, and one when it ends ({@link RouteStorm}). The listener then sees a few snapshots per second
 * instead of thousands of route events; links and addresses still arrive one by one, at once.
 */
public final class RtnetlinkMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtnetlinkMonitor.class);

    /** Default receive buffer of the notification socket: room for a burst of ~10k route changes. */
    public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;

    private static final int RTNLGRP_LINK = 1; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV4_IFADDR = 5; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV4_ROUTE = 7; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV4_RULE = 8; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV6_IFADDR = 9; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV6_ROUTE = 11; // linux/rtnetlink.h
    private static final int RTNLGRP_IPV6_RULE = 19; // linux/rtnetlink.h

    /**
     * Route notifications per window above which they are coalesced into snapshots (~640/s): a daemon copies its route
     * set per route event, which with thousands of routes costs milliseconds each, while a snapshot costs one dump.
     */
    static final int STORM_ROUTES = 64;
    static final long STORM_WINDOW_MS = 100;
    /** How often a snapshot replaces the skipped route notifications during a storm. */
    static final long STORM_SNAPSHOT_MS = 250;

    /** How often the thread looks at the closed flag while the namespace is quiet. */
    private static final Duration POLL = Duration.ofMillis(100);

    /** Receives what the monitor sees, always on the monitor's thread, in order. */
    public interface Listener {
        void onEvent(Event event);

        /** All rules after a (re)sync; core has no rule event yet, so rules arrive here. */
        default void onRules(Instant at, List<IpRule> rules) {}

        /** RTM_NEWRULE / RTM_DELRULE of a rule an {@link IpRule} can express. */
        default void onRule(RuleChange change) {}

        /**
         * RTM_DELROUTE that a process asked for (nlmsg_pid not 0: not the kernel's own clean-up after a link went
         * down), in any table. Arrives even during a route storm.
         */
        default void onRouteDeleted(RouteDeletion deletion) {}

        /** The monitor stopped for good (the socket failed, or the listener threw). */
        default void onFailure(KernelException error) {}
    }

    /** A rule appeared ({@code added}) or went away. */
    public record RuleChange(Instant at, boolean added, IpRule rule) {}

    /**
     * A route someone deleted: {@code ip route del DESTINATION table TABLE}.
     *
     * @param senderPid the portid of the socket that asked for it (nlmsg_pid)
     */
    public record RouteDeletion(Instant at, int table, String destination, int senderPid) {}

    private final NetlinkSocket notifications;
    private final NetlinkChannel dumps;
    private final Clock clock;
    private final Listener listener;
    private final String where;
    private final int receiveBuffer;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long resyncs;
    private final RouteStorm storm = new RouteStorm(STORM_ROUTES, STORM_WINDOW_MS * 1_000_000, STORM_SNAPSHOT_MS * 1_000_000,
            System.nanoTime()); // monitor thread only

    private RtnetlinkMonitor(NetlinkSocket notifications, NetlinkChannel dumps, Clock clock, Listener listener, String where, int receiveBuffer) {
        this.notifications = notifications;
        this.dumps = dumps;
        this.clock = clock;
        this.listener = listener;
        this.where = where;
        this.receiveBuffer = receiveBuffer;
        this.thread = Thread.ofPlatform().name("rtnetlink-monitor-" + where).daemon(true).unstarted(this::run);
    }

    /**
     * Subscribes in {@code netns} and starts the monitor thread, which begins with the initial dump.
     * Equals {@code ip monitor link address route rule} after {@code ip link; ip addr; ip route show table all; ip rule}.
     *
     * @param clock              stamps every event (the edge owns time; tests pass a fixed clock)
     * @param receiveBufferBytes requested SO_RCVBUF(FORCE) of the notification socket
     * @throws KernelException when the sockets cannot be opened or subscribed (nothing keeps running then)
     */
    public static RtnetlinkMonitor start(NetnsThread netns, Clock clock, int receiveBufferBytes, Listener listener) {
        NetlinkSocket n = netns.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE));
        NetlinkSocket d = null;
        try {
            int effective = n.receiveBufferSize(receiveBufferBytes);
            n.receiveTimeout(POLL);
            for (int group : new int[] {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
                    RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE}) {
                n.joinGroup(group);
            }
            d = netns.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE));
            d.receiveBufferSize(DEFAULT_RECEIVE_BUFFER);
            String where = netns.name() == null ? "host" : netns.name();
            RtnetlinkMonitor m = new RtnetlinkMonitor(n, new NetlinkChannel(d, NlCodec.Dialect.ROUTE, Duration.ofSeconds(10)),
                    clock, listener, where, effective);
            m.thread.start();
            return m;
        } catch (RuntimeException e) {
            n.close();
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    /** The receive buffer the kernel granted (it reports twice the requested bytes). */
    public int receiveBufferBytes() {
        return receiveBuffer;
    }

    /** How many snapshots were delivered so far (1 after the initial dump; more after overruns). */
    public long resyncs() {
        return resyncs;
    }

    /** Stops the thread (within about 100 ms) and closes the sockets. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        byte[] rx = NetlinkSocket.newReceiveBuffer();
        try {
            resync("start");
            while (!closed) {
                int n;
                try {
                    n = notifications.receive(rx);
                } catch (NetlinkSocketException e) {
                    if (e.errno() != Errno.ENOBUFS) {
                        throw e;
                    }
                    resync("receive buffer overrun (ENOBUFS), notifications were dropped");
                    continue;
                }
                if (n > 0) {
                    deliver(NlCodec.decode(rx, 0, n, NlCodec.Dialect.ROUTE));
                }
                stormSnapshot();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                KernelException k = e instanceof KernelException ke ? ke
                        : new KernelException("rtnetlink monitor in " + where + " stopped: " + e, e);
                LOG.error("rtnetlink monitor in {} stopped; link/route changes are no longer seen: {}", where, k.getMessage());
                listener.onFailure(k);
            }
        } finally {
            notifications.close();
            dumps.close();
        }
    }

    private void deliver(List<NlMessage> messages) {
        for (NlMessage m : messages) {
            if (closed) {
                return;
            }
            switch (m.payload()) {
                case RuleMessage r -> {
                    boolean added = m.type() == RuleMessage.RTM_NEWRULE;
                    if (added || m.type() == RuleMessage.RTM_DELRULE) {
                        PlanMessages.ipRule(r).ifPresent(rule -> listener.onRule(new RuleChange(clock.instant(), added, rule)));
                    }
                }
                case NlPayload.Malformed bad -> {
                    resync("unparsable notification (" + bad.reason() + ")");
                    return; // the rest of this datagram cannot be trusted; the snapshot covers it
                }
                case RouteMessage r -> {
                    if (m.type() == RouteMessage.RTM_DELROUTE && m.header().pid() != 0) {
                        listener.onRouteDeleted(new RouteDeletion(clock.instant(), r.table(),
                                (r.dst() == null ? "default" : r.dst() + "/" + r.dstLen()), m.header().pid()));
                    }
                    if (storm.deliver(System.nanoTime())) {
                        RtnlEvents.toEvent(m, clock.instant()).ifPresent(listener::onEvent);
                    }
                }
                case LinkMessage _, AddressMessage _, NlPayload.Done _, NlPayload.Error _, NlPayload.Raw _ ->
                        RtnlEvents.toEvent(m, clock.instant()).ifPresent(listener::onEvent);
            }
        }
    }

    /** During a route storm: a snapshot instead of the skipped route notifications, when one is due. */
    private void stormSnapshot() {
        long now = System.nanoTime();
        if (!storm.snapshotDue(now)) {
            return;
        }
        boolean ending = !storm.inStorm();
        if (ending) {
            LOG.info("rtnetlink monitor in {}: route storm over ({} route notifications coalesced into snapshots so far)", where,
                    storm.skippedTotal());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("rtnetlink monitor in {}: route storm, snapshot instead of single route changes", where);
        }
        resyncQuietly();
        storm.snapshotTaken(System.nanoTime()); // after the dump: what queued during it counts in the next window
    }

    /** Drains the notification queue, dumps links, addresses, routes and rules, and delivers them as one snapshot. */
    private void resync(String why) {
        if (resyncs > 0) {
            LOG.warn("rtnetlink monitor in {}: {}; dumping links, addresses, routes and rules again", where, why);
        }
        resyncQuietly();
    }

    private void resyncQuietly() {
        drain();
        List<Event.LinkChanged> links = new ArrayList<>();
        List<Event.AddressAdded> addresses = new ArrayList<>();
        List<RouteFact> routes = new ArrayList<>();
        TreeSet<IpRule> rules = new TreeSet<>();
        Instant at = clock.instant();
        for (NlMessage m : dump(LinkMessage.RTM_GETLINK, new LinkMessage(0, 0, 0, 0, 0, null, null, null), "ip link show")) {
            if (m.payload() instanceof LinkMessage l && l.family() == 0) {
                links.add(RtnlEvents.linkChanged(l, at));
            }
        }
        for (NlMessage m : dump(AddressMessage.RTM_GETADDR, new AddressMessage(0, 0, 0, 0, 0, null, null, null), "ip addr show")) {
            if (m.payload() instanceof AddressMessage a) {
                RtnlEvents.cidr(a).ifPresent(c -> addresses.add(new Event.AddressAdded(at, a.index(), c)));
            }
        }
        for (int af : new int[] {PlanMessages.AF_INET, PlanMessages.AF_INET6}) {
            RouteMessage q = new RouteMessage(af, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, 0, 0, null);
            for (NlMessage m : dump(RouteMessage.RTM_GETROUTE, q, "ip route show table all")) {
                if (m.payload() instanceof RouteMessage r) {
                    RtnlEvents.routeFact(r).ifPresent(routes::add);
                }
            }
            RuleMessage rq = new RuleMessage(af, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 0);
            for (NlMessage m : dump(RuleMessage.RTM_GETRULE, rq, "ip rule show")) {
                if (m.payload() instanceof RuleMessage r) {
                    PlanMessages.ipRule(r).ifPresent(rules::add);
                }
            }
        }
        resyncs++;
        listener.onEvent(new Event.NetlinkResynced(at, links, addresses, routes));
        listener.onRules(at, List.copyOf(rules));
    }

    /** Reads and drops queued notifications until the queue is empty (see the class comment for why). */
    private void drain() {
        byte[] rx = NetlinkSocket.newReceiveBuffer();
        while (true) {
            try {
                if (notifications.receiveNow(rx) < 0) {
                    return;
                }
            } catch (NetlinkSocketException e) {
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
            }
        }
    }

    private List<NlMessage> dump(int type, NlPayload query, String what) {
        NlHeader h = NlHeader.request(type, NlHeader.NLM_F_DUMP, dumps.nextSeq());
        return dumps.dump(new NlMessage(h, query), what + " (rtnetlink monitor in " + where + ")");
    }
}

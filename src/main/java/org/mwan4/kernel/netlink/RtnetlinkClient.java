package org.mwan4.kernel.netlink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Family;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.Op;

/**
 * Programs and reads ip rules and routes over a NETLINK_ROUTE socket, every change acknowledged by the
 * kernel. The socket lives in the namespace of the {@link NetnsThread} it was opened on; calls may come
 * from any thread (they are serialized).
 */
public final class RtnetlinkClient implements AutoCloseable {
    /** Lowest and highest pref of the rules mwan4 owns (1000+id, 2000+id, 3000+id). */
    public static final int OUR_MIN_PREF = 1000;
    public static final int OUR_MAX_PREF = 3999;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final NetlinkChannel channel;

    /**
     * The portid the kernel stamps on the notifications of changes this client makes (nlmsg_pid): how the monitor
     * tells our own route deletions from someone else's.
     */
    public int portId() {
        return channel.socket().portId();
    }

    private RtnetlinkClient(NetlinkChannel channel) {
        this.channel = channel;
    }

    /** Opens a route socket inside {@code netns} (use {@link NetnsThread#host()} for the JVM's own). */
    public static RtnetlinkClient open(NetnsThread netns) {
        NetlinkSocket s = netns.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE));
        try {
            s.receiveBufferSize(RECEIVE_BUFFER);
            s.strictDumpChecks();
            return new RtnetlinkClient(new NetlinkChannel(s, NlCodec.Dialect.ROUTE, TIMEOUT));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Applies ip rule and route ops as one batch: each op equals its {@code ip rule add|del ...} /
     * {@code ip [-6] route add|del ...} (see {@link PlanMessages#ipCommand}); all are sent, then every
     * ACK is collected. A route's device name is looked up first ({@code ip link show DEV}).
     *
     * @throws RtnetlinkOpException naming each refused op with its {@code ip} command and errno; the others were applied
     * @throws IllegalArgumentException when {@code ops} holds nft ops (those go to libnftables), nothing sent
     */
    public synchronized void apply(List<Op> ops) {
        List<Op> sendable = new ArrayList<>();
        List<NlMessage> requests = new ArrayList<>();
        List<RtnetlinkOpException.Failure> failures = new ArrayList<>();
        Map<String, Integer> devices = new HashMap<>();
        for (Op op : ops) {
            try {
                requests.add(request(op, devices));
                sendable.add(op);
            } catch (RtnetlinkOpException e) {
                failures.addAll(e.failures());
            }
        }
        List<NlPayload.Error> answers = channel.exchange(requests, "applying " + requests.size() + " ip rule/route ops", null);
        for (int i = 0; i < answers.size(); i++) {
            NlPayload.Error a = answers.get(i);
            if (!a.isAck()) {
                Op op = sendable.get(i);
                failures.add(new RtnetlinkOpException.Failure(op, PlanMessages.ipCommand(op), a.errno(), a.extAck()));
            }
        }
        if (!failures.isEmpty()) {
            throw new RtnetlinkOpException(failures, ops.size());
        }
    }

    /** Our ip rules (pref 1000..3999), IPv4 then IPv6: {@code ip rule show; ip -6 rule show}, filtered. */
    public synchronized List<IpRule> ourRules() {
        return rules(OUR_MIN_PREF, OUR_MAX_PREF);
    }

    /**
     * Every rule with pref in {@code [minPref, maxPref]} that an {@link IpRule} can express, sorted:
     * {@code ip rule show; ip -6 rule show}.
     */
    public synchronized List<IpRule> rules(int minPref, int maxPref) {
        TreeSet<IpRule> out = new TreeSet<>();
        for (Family f : Family.values()) {
            RuleMessage q = new RuleMessage(PlanMessages.af(f), 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 0);
            for (NlMessage m : channel.dump(message(RuleMessage.RTM_GETRULE, NlHeader.NLM_F_DUMP, q), "ip " + (f == Family.IPV6 ? "-6 " : "") + "rule show")) {
                if (m.payload() instanceof RuleMessage r && r.priority() >= minPref && r.priority() <= maxPref) {
                    PlanMessages.ipRule(r).ifPresent(out::add);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The routes of the given tables, both families, as plan values with device names, sorted:
     * {@code ip route show table N; ip -6 route show table N} for each N. A table that does not exist is empty.
     */
    public synchronized List<IpRoute> routes(Collection<Integer> tables) {
        SortedMap<Integer, String> names = linkNames();
        TreeSet<IpRoute> out = new TreeSet<>();
        for (int table : new TreeSet<>(tables)) {
            for (Family f : Family.values()) {
                RouteMessage q = new RouteMessage(PlanMessages.af(f), 0, 0, 0, table, 0, 0, 0, 0, null, null, null, 0, 0, null);
                String what = "ip " + (f == Family.IPV6 ? "-6 " : "") + "route show table " + table;
                try {
                    for (NlMessage m : channel.dump(message(RouteMessage.RTM_GETROUTE, NlHeader.NLM_F_DUMP, q), what)) {
                        if (m.payload() instanceof RouteMessage r && r.table() == table) {
                            PlanMessages.ipRoute(r, names::get).ifPresent(out::add);
                        }
                    }
                } catch (NetlinkSocketException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every link: {@code ip link show}. */
    public synchronized List<LinkMessage> links() {
        List<LinkMessage> out = new ArrayList<>();
        LinkMessage q = new LinkMessage(0, 0, 0, 0, 0, null, null, null);
        for (NlMessage m : channel.dump(message(LinkMessage.RTM_GETLINK, NlHeader.NLM_F_DUMP, q), "ip link show")) {
            if (m.payload() instanceof LinkMessage l) {
                out.add(l);
            }
        }
        return out;
    }

    /** Every address of one family, in the kernel's order: {@code ip -4 addr show} / {@code ip -6 addr show}. */
    public synchronized List<AddressMessage> addresses(Family f) {
        List<AddressMessage> out = new ArrayList<>();
        AddressMessage q = new AddressMessage(PlanMessages.af(f), 0, 0, 0, 0, null, null, null);
        String what = "ip " + (f == Family.IPV6 ? "-6" : "-4") + " addr show";
        for (NlMessage m : channel.dump(message(AddressMessage.RTM_GETADDR, NlHeader.NLM_F_DUMP, q), what)) {
            if (m.payload() instanceof AddressMessage a && a.family() == PlanMessages.af(f)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The routes of one table and family as the kernel sends them (cache clones left out), in its order:
     * {@code ip -4 route show table N}. A table that does not exist is empty.
     */
    public synchronized List<RouteMessage> routeMessages(Family f, int table) {
        List<RouteMessage> out = new ArrayList<>();
        RouteMessage q = new RouteMessage(PlanMessages.af(f), 0, 0, 0, table, 0, 0, 0, 0, null, null, null, 0, 0, null);
        String what = "ip " + (f == Family.IPV6 ? "-6 " : "-4 ") + "route show table " + table;
        try {
            for (NlMessage m : channel.dump(message(RouteMessage.RTM_GETROUTE, NlHeader.NLM_F_DUMP, q), what)) {
                if (m.payload() instanceof RouteMessage r && r.table() == table && (r.flags() & RouteMessage.RTM_F_CLONED) == 0) {
                    out.add(r);
                }
            }
        } catch (NetlinkSocketException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        return out;
    }

    /** Every rule of one family, by pref as the kernel keeps them: {@code ip -4 rule show}. */
    public synchronized List<RuleMessage> ruleMessages(Family f) {
        List<RuleMessage> out = new ArrayList<>();
        RuleMessage q = new RuleMessage(PlanMessages.af(f), 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 0);
        String what = "ip " + (f == Family.IPV6 ? "-6" : "-4") + " rule show";
        for (NlMessage m : channel.dump(message(RuleMessage.RTM_GETRULE, NlHeader.NLM_F_DUMP, q), what)) {
            if (m.payload() instanceof RuleMessage r && r.family() == PlanMessages.af(f)) {
                out.add(r);
            }
        }
        return out;
    }

    /** ifindex to name of every link: {@code ip link show}. */
    public synchronized SortedMap<Integer, String> linkNames() {
        SortedMap<Integer, String> out = new TreeMap<>();
        LinkMessage q = new LinkMessage(0, 0, 0, 0, 0, null, null, null);
        for (NlMessage m : channel.dump(message(LinkMessage.RTM_GETLINK, NlHeader.NLM_F_DUMP, q), "ip link show")) {
            if (m.payload() instanceof LinkMessage l && l.name() != null) {
                out.put(l.index(), l.name());
            }
        }
        return out;
    }

    /** The ifindex of a device, empty when there is none: {@code ip link show DEV}. */
    public synchronized Optional<Integer> linkIndex(String name) {
        List<NlMessage> replies = new ArrayList<>();
        NlPayload.Error a = channel.exchange(List.of(message(LinkMessage.RTM_GETLINK, NlHeader.NLM_F_ACK, LinkMessage.byName(name))),
                "ip link show " + name, replies).getFirst();
        if (!a.isAck()) {
            if (a.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw new NetlinkSocketException("ip link show " + name, a.errno());
        }
        for (NlMessage m : replies) {
            if (m.payload() instanceof LinkMessage l) {
                return Optional.of(l.index());
            }
        }
        throw new KernelException("ip link show " + name + ": the kernel acknowledged but sent no link");
    }

    @Override
    public synchronized void close() {
        channel.close();
    }

    private NlMessage request(Op op, Map<String, Integer> devices) {
        int create = NlHeader.NLM_F_ACK | NlHeader.NLM_F_CREATE | NlHeader.NLM_F_EXCL;
        return switch (op) {
            case Op.AddIpRule a -> message(RuleMessage.RTM_NEWRULE, create, PlanMessages.rule(a.rule()));
            case Op.DeleteIpRule d -> message(RuleMessage.RTM_DELRULE, NlHeader.NLM_F_ACK, PlanMessages.rule(d.rule()));
            case Op.AddRoute a -> message(RouteMessage.RTM_NEWROUTE, create, route(op, a.route(), devices));
            case Op.DeleteRoute d -> message(RouteMessage.RTM_DELROUTE, NlHeader.NLM_F_ACK, forDelete(route(op, d.route(), devices)));
            case Op.AddSet _, Op.DeleteSet _, Op.AddElements _, Op.DeleteElements _,
                 Op.AddChain _, Op.ReplaceChain _, Op.DeleteChain _ ->
                    throw new IllegalArgumentException("RtnetlinkClient applies ip rule/route ops only; " + op + " belongs to the nft transaction");
        };
    }

    private RouteMessage route(Op op, IpRoute r, Map<String, Integer> devices) {
        int oif = 0;
        if (!r.device().isEmpty()) {
            Integer idx = devices.get(r.device());
            if (idx == null) {
                idx = linkIndex(r.device()).orElseThrow(() -> new RtnetlinkOpException(List.of(new RtnetlinkOpException.Failure(
                        op, PlanMessages.ipCommand(op), Errno.ENODEV, "device " + r.device() + " not found; op not sent")), 1));
                devices.put(r.device(), idx);
            }
            oif = idx;
        }
        try {
            return PlanMessages.route(r, oif);
        } catch (IllegalArgumentException e) {
            throw new RtnetlinkOpException(List.of(new RtnetlinkOpException.Failure(op, PlanMessages.ipCommand(op), Errno.EINVAL,
                    e.getMessage() + "; op not sent")), 1);
        }
    }

    /**
     * {@code ip route del} leaves out what its command line leaves out: type unicast and scope 0 are
     * "any" (RTN_UNSPEC, RT_SCOPE_NOWHERE), as iproute2 sends them, so the kernel matches on the rest.
     */
    private static RouteMessage forDelete(RouteMessage r) {
        return new RouteMessage(r.family(), r.dstLen(), r.srcLen(), r.tos(), r.table(), r.protocol(),
                r.scope() == RouteMessage.RT_SCOPE_UNIVERSE ? RouteMessage.RT_SCOPE_NOWHERE : r.scope(),
                r.type() == RouteMessage.RTN_UNICAST ? 0 : r.type(), r.flags(), r.dst(), r.src(), r.gateway(),
                r.oif(), r.priority(), r.prefsrc());
    }

    private NlMessage message(int type, int flags, NlPayload body) {
        return new NlMessage(NlHeader.request(type, flags, channel.nextSeq()), body);
    }
}

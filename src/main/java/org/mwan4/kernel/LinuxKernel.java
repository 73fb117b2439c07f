package org.mwan4.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mwan4.kernel.netlink.RtnetlinkClient;
import org.mwan4.kernel.nft.LibNftables;
import org.mwan4.kernel.nft.NftBackend;
import org.mwan4.kernel.nft.NftBackends;
import org.mwan4.kernel.nft.NftCounters;
import org.mwan4.kernel.nft.NftMonitor;
import org.mwan4.kernel.nft.NftNotification;
import org.mwan4.kernel.nft.NftReader;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real kernel behind the {@link Kernel} port: nft ops through libnftables (or the {@code nft} program as
 * the fallback) as one atomic transaction, ip rule and route ops through rtnetlink, read-back of both.
 * Everything happens in one network namespace (the JVM's own, or a named one for tests and {@code --netns}).
 */
public final class LinuxKernel implements Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxKernel.class);
    private static final String[] FW4 = Desired.TABLE.split(" ");
    /** Tables that are never ours even when one of our rules looks them up: main, local, default (linux/rtnetlink.h). */
    private static final Set<Integer> SYSTEM_TABLES = Set.of(253, 254, 255);

    private final NetnsThread netns;
    private final NftBackend nft;
    private final NftReader reader;
    private final RtnetlinkClient rtnl;
    private final Function<List<Op>, NftScript> render;
    private final Supplier<? extends Iterable<Integer>> tables;
    private final AtomicBoolean applying = new AtomicBoolean();

    private LinuxKernel(NetnsThread netns, NftBackend nft, RtnetlinkClient rtnl, Function<List<Op>, NftScript> render,
                        Supplier<? extends Iterable<Integer>> tables) {
        this.netns = netns;
        this.nft = nft;
        this.reader = new NftReader(nft);
        this.rtnl = rtnl;
        this.render = render;
        this.tables = tables;
    }

    /**
     * Opens nftables and rtnetlink in {@code netns} (null: the JVM's own namespace).
     *
     * @param render how nft ops become one script ({@code NftRender::script})
     * @param tables the routing tables of the configured interfaces (read back besides those our ip rules look up)
     * @throws KernelException when neither nft backend works or the route socket cannot be opened
     */
    public static LinuxKernel open(String netns, Function<List<Op>, NftScript> render, Supplier<? extends Iterable<Integer>> tables) {
        NetnsThread thread = netns == null ? NetnsThread.host() : NetnsThread.enter(netns);
        NftBackend nft = null;
        try {
            nft = NftBackends.open(netns);
            RtnetlinkClient rtnl = RtnetlinkClient.open(thread);
            return new LinuxKernel(thread, nft, rtnl, render, tables);
        } catch (RuntimeException e) {
            if (nft != null) {
                nft.close();
            }
            thread.close();
            throw e;
        }
    }

    /**
     * Applies one step in the order {@code diff} made it: the ip rule/route ops that come before the first nft op
     * ({@code ip route add/del ... table N}, {@code ip rule add ...}), then every nft op as one transaction
     * ({@code nft -f script}), then the remaining ip ops ({@code ip rule del ...}, after nft stopped marking for them).
     */
    @Override
    public void apply(List<Op> ops) {
        List<Op> before = new ArrayList<>();
        List<Op> nftOps = new ArrayList<>();
        List<Op> after = new ArrayList<>();
        for (Op op : ops) {
            if (isNft(op)) {
                nftOps.add(op);
            } else {
                (nftOps.isEmpty() ? before : after).add(op);
            }
        }
        applying.set(true);
        try {
            if (!before.isEmpty()) {
                rtnl.apply(before);
            }
            if (!nftOps.isEmpty()) {
                nft.apply(nftOps, render);
            }
            if (!after.isEmpty()) {
                rtnl.apply(after);
            }
        } finally {
            applying.set(false);
        }
    }

    /** Whether an op goes to nftables (else to rtnetlink). */
    public static boolean isNft(Op op) {
        return switch (op) {
            case Op.AddSet a -> true;
            case Op.DeleteSet d -> true;
            case Op.AddElements a -> true;
            case Op.DeleteElements d -> true;
            case Op.AddChain a -> true;
            case Op.ReplaceChain r -> true;
            case Op.DeleteChain d -> true;
            case Op.AddIpRule a -> false;
            case Op.DeleteIpRule d -> false;
            case Op.AddRoute a -> false;
            case Op.DeleteRoute d -> false;
        };
    }

    /**
     * Our objects now: {@code nft -s -t list ruleset} + {@code nft -j list table inet fw4} filtered to
     * {@code mwan4_*}, {@code ip rule show} (prefs 1000..3999) and {@code ip route show table N} of our tables.
     */
    @Override
    public Desired read() {
        Desired nftPart = reader.read();
        List<IpRule> rules = rtnl.ourRules();
        Set<Integer> ours = new TreeSet<>();
        tables.get().forEach(ours::add);
        for (IpRule r : rules) {
            if (r.action() == IpRule.Action.LOOKUP && !SYSTEM_TABLES.contains(r.table())) {
                ours.add(r.table());
            }
        }
        List<IpRoute> routes = rtnl.routes(ours);
        return new Desired(nftPart.sets(), nftPart.chains(), new TreeSet<>(rules), new TreeSet<>(routes));
    }

    /** The portid of our rtnetlink socket: notifications of the route and rule changes we make carry it. */
    public int rtnetlinkPortId() {
        return rtnl.portId();
    }

    /** libnftables' namespace thread: a step run there makes its nft calls inline (rtnetlink calls never hop). */
    @Override
    public java.util.Optional<java.util.concurrent.Executor> home() {
        return nft instanceof LibNftables lib ? java.util.Optional.of(lib.home()) : java.util.Optional.empty();
    }

    /**
     * The packet/byte counters of the rules of our chains {@code chains} (missing ones add nothing): equals
     * {@code nft list chain inet fw4 NAME} for each. Safe beside {@link #apply} (nft calls are serialised).
     */
    public List<NftCounters.Counted> counters(List<String> chains) {
        return NftCounters.read(nft, chains);
    }

    /**
     * One family's addresses, routes (main and our tables), ip rules and our nft objects, for {@code mwan4 internal}:
     * see {@link NetworkDump#read}. Safe beside {@link #apply}.
     */
    public org.mwan4.plan.KernelDump dump(org.mwan4.config.Family family) {
        return NetworkDump.read(rtnl, nft, family, tables.get());
    }

    @Override
    public String describe() {
        return nft.name() + " + rtnetlink" + (netns.name() == null ? "" : " in netns " + netns.name());
    }

    /**
     * Reports removals of our nft objects made by anyone but us ({@code nft flush table inet fw4}, {@code fw4 reload},
     * {@code nft delete chain inet fw4 mwan4_...}), like {@code nft monitor} filtered to {@code mwan4_*}: the names
     * removed by each foreign transaction, once it committed. Our own transactions (told apart by the committing
     * thread, or by the time window of {@link #apply} with the {@code nft} program) are not reported.
     */
    public AutoCloseable watchRemovals(Consumer<List<String>> removed) {
        Set<String> pending = new LinkedHashSet<>();
        return NftMonitor.start(netns, note -> {
            switch (note) {
                case NftNotification.Change c -> {
                    if (c.removesOurs(FW4[0], FW4[1], NftReader.PREFIX)) {
                        pending.add(c.kind() == NftNotification.Kind.DEL_TABLE ? "table " + Desired.TABLE : c.name());
                    }
                }
                case NftNotification.Generation g -> {
                    if (!pending.isEmpty() && !ours(g)) {
                        removed.accept(List.copyOf(pending));
                    }
                    pending.clear();
                }
                case NftNotification.Overrun o -> removed.accept(List.of("(nft notifications lost: checking everything)"));
                case NftNotification.Stopped s -> LOG.error("nft monitor stopped ({}): external changes to our chains are no "
                        + "longer repaired until mwan4 restarts", s.reason());
            }
        });
    }

    private boolean ours(NftNotification.Generation g) {
        if (nft instanceof LibNftables lib) {
            return g.pid() == lib.threadId();
        }
        return applying.get();
    }

    @Override
    public void close() {
        rtnl.close();
        nft.close();
        netns.close();
    }
}

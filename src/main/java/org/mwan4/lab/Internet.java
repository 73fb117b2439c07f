package org.mwan4.lab;

import java.time.Duration;
import java.util.List;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The internet namespace: the servers ({@link LabServers}), the track targets, and what can go wrong there: a
 * target that stops answering, and the per-ISP reply delay that stands in for {@code tc netem}
 * (see {@link InternetImpairment} for what it does and does not delay).
 */
public final class Internet implements AutoCloseable {
    private final Topology topology;
    private final Netns ns;
    private volatile InternetImpairment impairment = InternetImpairment.NONE;
    private LabServers servers;
    private EchoResponder responder;

    Internet(Topology topology, Netns ns) {
        this.topology = topology;
        this.ns = ns;
    }

    /** Starts the TCP/UDP whoami and HTTP servers. */
    synchronized void startServers() {
        if (servers == null) {
            servers = new LabServers(ns, topology.internet().addresses(), this::delayOfSource);
        }
    }

    public Netns namespace() {
        return ns;
    }

    /** The server address (TCP/UDP whoami on {@value LabServers#WHOAMI_PORT}, HTTP on {@value LabServers#HTTP_PORT}). */
    public IpAddress server(Family f) {
        return topology.internet().server(f);
    }

    /** Track targets: they answer ping (and the servers listen on them too). */
    public List<IpAddress> targets(Family f) {
        return topology.internet().targets(f);
    }

    public int whoamiPort() {
        return LabServers.WHOAMI_PORT;
    }

    public int httpPort() {
        return LabServers.HTTP_PORT;
    }

    /** The extra reply delay for traffic that came in through the ISP owning {@code source}. */
    Duration delayOfSource(IpAddress source) {
        InternetImpairment now = impairment;
        return topology.ispOfSource(source).map(i -> now.delay(i.index())).orElse(Duration.ZERO);
    }

    /**
     * Replies to traffic that came through ISP {@code isp} leave the internet {@code delay} late (zero: no delay).
     * Covers ICMP echo to every internet address and the lab's servers; not forwarded traffic in general.
     * Equals {@code ip netns exec INET nft -f -} with {@link InternetImpairment#render} (plus the responder's raw
     * ICMP sockets on first use).
     */
    public synchronized void delay(int isp, Duration delay) {
        topology.isp(isp);
        InternetImpairment next = impairment.withDelay(isp, delay);
        if (!delay.isZero()) {
            if (responder == null) {
                responder = new EchoResponder(ns, topology.internet().addresses(), this::delayOfSource);
            }
            impairment = next; // the responder answers before the kernel's replies are dropped
            apply(next);
        } else {
            apply(next);       // kernel replies flow again before the responder stops adding its own
            impairment = next;
        }
    }

    /**
     * Everything sent to {@code address} (a target or the server) disappears, through every ISP.
     * Equals {@code ip netns exec INET nft -f -} with {@link InternetImpairment#render}.
     */
    public synchronized void blackhole(IpAddress address) {
        InternetImpairment next = impairment.withBlackhole(address, true);
        apply(next);
        impairment = next;
    }

    public synchronized void unblackhole(IpAddress address) {
        InternetImpairment next = impairment.withBlackhole(address, false);
        apply(next);
        impairment = next;
    }

    /** No delays, no blackholes. */
    public synchronized void clear() {
        apply(InternetImpairment.NONE);
        impairment = InternetImpairment.NONE;
    }

    /** How many echo replies the userspace responder sent so far (0 until a delay is first set). */
    public synchronized long delayedReplies() {
        return responder == null ? 0 : responder.answered();
    }

    public InternetImpairment impairment() {
        return impairment;
    }

    /** Equals {@code ip netns exec INET nft -f -} with {@link InternetImpairment#render}. */
    private void apply(InternetImpairment next) {
        ns.nft(next.render(topology));
    }

    @Override
    public synchronized void close() {
        if (responder != null) {
            responder.close();
            responder = null;
        }
        if (servers != null) {
            servers.close();
            servers = null;
        }
    }
}

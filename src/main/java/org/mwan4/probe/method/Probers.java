package org.mwan4.probe.method;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.mwan4.config.Tracking;
import org.mwan4.probe.net.ProbeLoop;

/**
 * Opens the prober for a tracker's {@code track_method}. One instance per engine: it hands out ICMP
 * identifiers so this engine's ICMP probers never share one, and shares one ICMP socket per path.
 */
public final class Probers {
    /** Name nslookup asks when the config names none; resolvers answer it themselves (RFC 6761 section 6.3). */
    public static final String DEFAULT_DNS_NAME = "localhost";

    private final ProbeLoop loop;
    private final RandomGenerator random;
    private final Map<IcmpChannel.Key, IcmpChannel> channels = new HashMap<>();
    private int nextIcmpId;
    private SSLContext tls;

    public Probers(ProbeLoop loop, RandomGenerator random) {
        this.loop = loop;
        this.random = random;
        this.nextIcmpId = random.nextInt(0x10000);
    }

    /** Runs on the probe loop. */
    public Prober open(ProbePath path, Tracking tracking) {
        return switch (tracking.method()) {
            case PING, NPING_ICMP -> {
                var key = new IcmpChannel.Key(path.family(), path.device(), path.source(), path.mark(), Math.clamp(tracking.maxTtl(), 1, 255));
                IcmpChannel channel = channels.computeIfAbsent(key, k -> new IcmpChannel(loop, k));
                int id = nextIcmpId(channel);
                yield new IcmpEchoProber(loop, path, channel, () -> {
                    if (channel.detach(id)) {
                        channels.remove(key, channel);
                    }
                }, tracking.size(), id, random.nextLong());
            }
            case ARPING, NPING_ARP -> new ArpProber(loop, path);
            case HTTPING -> {
                SSLContext ctx = tracking.httpingSsl() ? tls() : null;
                yield new SocketProber(loop, path, (l, p, t, listener, end) -> new HttpProbe(l, p, t, listener, end, ctx));
            }
            case NPING_TCP -> new SocketProber(loop, path, TcpConnectProbe::new);
            case NPING_UDP -> new SocketProber(loop, path, UdpProbe::new);
            case NSLOOKUP -> {
                String name = tracking.dnsQueryName() == null || tracking.dnsQueryName().isBlank() ? DEFAULT_DNS_NAME : tracking.dnsQueryName();
                yield new SocketProber(loop, path, (l, p, t, listener, end) -> new DnsProbe(l, p, t, listener, end, name, random.nextInt(0x10000)));
            }
        };
    }

    /** The next identifier not used on {@code channel} (identifiers are 16 bits and wrap). */
    private int nextIcmpId(IcmpChannel channel) {
        int id;
        do {
            id = nextIcmpId++ & 0xFFFF;
        } while (channel.has(id));
        return id;
    }

    private SSLContext tls() {
        if (tls == null) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new UnverifiedTrust()}, null);
                tls = ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM offers no TLS client: " + e, e);
            }
        }
        return tls;
    }
}

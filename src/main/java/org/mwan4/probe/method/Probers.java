package org.mwan4.probe.method;

import java.security.GeneralSecurityException;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.mwan4.config.Tracking;
import org.mwan4.probe.net.ProbeLoop;

/**
 * Opens the prober for a tracker's {@code track_method}. One instance per engine: it hands out ICMP
 * identifiers so this engine's ICMP probers never share one.
 */
public final class Probers {
    /** Name nslookup asks when the config names none; resolvers answer it themselves (RFC 6761 section 6.3). */
    public static final String DEFAULT_DNS_NAME = "localhost";

    private final ProbeLoop loop;
    private final RandomGenerator random;
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
            case PING, NPING_ICMP -> new IcmpEchoProber(loop, path, tracking.size(), tracking.maxTtl(), nextIcmpId++ & 0xFFFF, random.nextLong());
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

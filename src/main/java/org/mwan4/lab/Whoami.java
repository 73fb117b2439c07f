package org.mwan4.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The lab servers' answer: the source address and port they saw, as one line {@code "198.51.100.10 40312"}.
 * Behind masquerading routers that address names the WAN the connection left through.
 *
 * @param address the peer address as the server saw it
 * @param port    the peer port
 */
public record Whoami(IpAddress address, int port) {

    static Whoami of(SocketAddress peer) {
        InetSocketAddress p = (InetSocketAddress) peer;
        return new Whoami(unmapped(p.getAddress()), p.getPort());
    }

    /** {@code ::ffff:192.0.2.1} (a dual-stack socket's view of an IPv4 peer) becomes {@code 192.0.2.1}. */
    static IpAddress unmapped(InetAddress a) {
        IpAddress ip = IpAddress.of(a.getAddress());
        if (ip.family() == Family.IPV6 && ip.hi() == 0 && (ip.lo() >>> 32) == 0xFFFFL) {
            return new IpAddress(Family.IPV4, 0, ip.lo() & 0xFFFFFFFFL);
        }
        return ip;
    }

    /** {@code "198.51.100.10 40312"}. */
    public String line() {
        return address + " " + port;
    }

    /** Parses {@link #line()} (and ignores anything after the port). */
    public static Optional<Whoami> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] w = text.strip().split("\\s+");
        if (w.length < 2) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(w[1]);
            if (port < 0 || port > 0xFFFF) {
                return Optional.empty();
            }
            return IpAddress.parse(w[0]).map(a -> new Whoami(a, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

package org.mwan4.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mwan4.config.IpAddress;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Whoami;

/**
 * Sends one new connection (TCP, UDP or ICMP echo) from the lab's LAN client and finds out which WAN it really left
 * through: an nft table of the test's own in the router records the first packet of each new connection in the
 * postrouting hook per output device (a refused TCP connection too; conntrack forgets those at once). A flow that
 * never went out (rejected by an unreachable route) is in no set. TCP connections to the whoami port also ask the
 * internet's server which address it saw (the masquerade address names the WAN).
 */
final class LabFlows {
    static final int WHOAMI_PORT = 7000;

    /** One flow as conntrack keys it: protocol, original source and destination, ports (or the ICMP echo id). */
    record Key(String proto, IpAddress src, IpAddress dst, int sport, int dport) {
        @Override
        public String toString() {
            return proto + " " + src + (proto.equals("icmp") ? "" : ":" + sport) + " -> " + dst
                    + (proto.equals("icmp") ? " id " + sport : ":" + dport);
        }
    }

    /**
     * What sending it showed on the client side.
     *
     * @param serverSaw the WAN the whoami server saw the connection come from (TCP to the whoami port only)
     * @param error     why the client saw it fail (an unreachable route's ICMP error, a timeout), or empty
     */
    record Sent(Key key, Optional<String> serverSaw, Optional<String> error) {}

    private final Lab lab;

    LabFlows(Lab lab) {
        this.lab = lab;
    }

    /** A TCP connection from {@code src} to {@code dst:dport}; a refused one (RST) still left through some WAN. */
    Sent tcp(IpAddress src, IpAddress dst, int dport) {
        return lab.lan().inside(() -> {
            try (SocketChannel c = SocketChannel.open()) {
                c.bind(new InetSocketAddress(src.toInetAddress(), 0));
                Key key = new Key("tcp", src, dst, ((InetSocketAddress) c.getLocalAddress()).getPort(), dport);
                try {
                    c.socket().connect(new InetSocketAddress(dst.toInetAddress(), dport), 1000);
                    if (dport != WHOAMI_PORT) {
                        return new Sent(key, Optional.empty(), Optional.empty());
                    }
                    c.socket().setSoTimeout(1000);
                    byte[] line = new byte[128];
                    int n = c.socket().getInputStream().read(line);
                    Optional<String> saw = n <= 0 ? Optional.empty()
                            : Whoami.parse(new String(line, 0, n, StandardCharsets.US_ASCII)).flatMap(w -> lab.wanOf(w.address()));
                    return new Sent(key, saw, Optional.empty());
                } catch (SocketTimeoutException e) {
                    return new Sent(key, Optional.empty(), Optional.of("timeout"));
                } catch (IOException e) {
                    return new Sent(key, Optional.empty(), Optional.of(e.getMessage()));
                }
            }
        });
    }

    /** One UDP datagram from {@code src} to {@code dst:dport} (nobody needs to answer it). */
    Sent udp(IpAddress src, IpAddress dst, int dport) {
        return lab.lan().inside(() -> {
            try (DatagramChannel c = DatagramChannel.open()) {
                c.bind(new InetSocketAddress(src.toInetAddress(), 0));
                Key key = new Key("udp", src, dst, ((InetSocketAddress) c.getLocalAddress()).getPort(), dport);
                try {
                    c.send(ByteBuffer.wrap("explain".getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress(dst.toInetAddress(), dport));
                    return new Sent(key, Optional.empty(), Optional.empty());
                } catch (IOException e) {
                    return new Sent(key, Optional.empty(), Optional.of(e.getMessage()));
                }
            }
        });
    }

    /** One ICMP echo with echo id {@code id}. Equals {@code ip netns exec LAN ping -c 1 -W 1 -e ID -I SRC DST}. */
    Sent icmp(IpAddress src, IpAddress dst, int id) {
        var r = lab.lan().exec("ping", "-n", "-c", "1", "-W", "1", "-e", String.valueOf(id), "-I", src.toString(), dst.toString()).attempt();
        Key key = new Key("icmp", src, dst, id, 0);
        return new Sent(key, Optional.empty(), r.ok() ? Optional.empty() : Optional.of(r.output().strip().replace('\n', ' ')));
    }

    /**
     * Starts recording, in the router, the first packet of every new IPv4 connection as it goes out of each WAN
     * device: a set per WAN and kind, filled in postrouting before NAT (so with the LAN addresses). Equals
     * {@code ip netns exec ROUTER nft -f -} with {@link #observer}.
     */
    void record() {
        lab.router().nft(observer(lab.isps().stream().map(i -> i.wan()).toList()));
    }

    /** Stops recording. Equals {@code ip netns exec ROUTER nft delete table ip e2e_observe}. */
    void stopRecording() {
        lab.router().exec("nft", "delete", "table", "ip", TABLE).attempt();
    }

    static final String TABLE = "e2e_observe";

    /** The observer table (its own, not mwan4's): {@code WAN_l4} for TCP/UDP, {@code WAN_echo} for pings. */
    static String observer(List<String> wans) {
        StringBuilder sb = new StringBuilder("table ip " + TABLE + " {\n");
        for (String w : wans) {
            sb.append("\tset ").append(w).append("_l4 { type ipv4_addr . ipv4_addr . inet_proto . inet_service . inet_service;"
                    + " flags dynamic,timeout; timeout 10m; size 65535; }\n");
            sb.append("\tset ").append(w).append("_echo { typeof ip saddr . ip daddr . icmp id; flags dynamic,timeout; timeout 10m;"
                    + " size 65535; }\n");
        }
        sb.append("\tchain post {\n\t\ttype filter hook postrouting priority -300; policy accept;\n");
        for (String w : wans) {
            sb.append("\t\toifname \"").append(w).append("\" ct state new meta l4proto { tcp, udp } add @").append(w)
              .append("_l4 { ip saddr . ip daddr . meta l4proto . th sport . th dport }\n");
            sb.append("\t\toifname \"").append(w).append("\" ct state new icmp type echo-request add @").append(w)
              .append("_echo { ip saddr . ip daddr . icmp id }\n");
        }
        return sb.append("\t}\n}\n").toString();
    }

    /**
     * The WAN(s) each recorded flow left through, by key ({@code wan1}; {@code wan1+wan2} if it was seen on both).
     * Equals {@code ip netns exec ROUTER nft -j list table ip e2e_observe}.
     */
    Map<Key, String> leftThrough() throws IOException {
        JsonNode root = new ObjectMapper().readTree(lab.router().exec("nft", "-j", "list", "table", "ip", TABLE).run());
        Map<Key, String> out = new HashMap<>();
        for (JsonNode item : root.path("nftables")) {
            JsonNode set = item.get("set");
            if (set == null) {
                continue;
            }
            String name = set.path("name").asText();
            String wan = name.substring(0, name.lastIndexOf('_'));
            for (JsonNode e : set.path("elem")) {
                key(name.endsWith("_echo"), e.path("elem").path("val").path("concat"))
                        .ifPresent(k -> out.merge(k, wan, (a, b) -> a + "+" + b));
            }
        }
        return out;
    }

    /** {@code ["192.0.2.10", "203.0.113.200", "tcp", 41234, 443]} or, for an echo, {@code [src, dst, id]}. */
    static Optional<Key> key(boolean echo, JsonNode concat) {
        Optional<IpAddress> src = IpAddress.parse(concat.path(0).asText());
        Optional<IpAddress> dst = IpAddress.parse(concat.path(1).asText());
        if (src.isEmpty() || dst.isEmpty()) {
            return Optional.empty();
        }
        if (echo) {
            return Optional.of(new Key("icmp", src.get(), dst.get(), concat.path(2).asInt(), 0));
        }
        String proto = switch (concat.path(2).asText()) {
            case "6" -> "tcp";
            case "17" -> "udp";
            default -> concat.path(2).asText();
        };
        return Optional.of(new Key(proto, src.get(), dst.get(), concat.path(3).asInt(), concat.path(4).asInt()));
    }
}

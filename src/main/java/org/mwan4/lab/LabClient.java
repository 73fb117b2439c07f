package org.mwan4.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.mwan4.config.IpAddress;

/**
 * Traffic from one lab namespace (the LAN client, or the router for router-originated traffic) to the internet's
 * servers, reporting which WAN it left through. Sockets are opened inside the namespace; the I/O runs on the
 * caller's thread. Every call is bounded by its timeout.
 */
public final class LabClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final Netns ns;
    private final Function<IpAddress, Optional<String>> wanOf;

    LabClient(Netns ns, Function<IpAddress, Optional<String>> wanOf) {
        this.ns = ns;
        this.wanOf = wanOf;
    }

    public Netns namespace() {
        return ns;
    }

    /** The WAN an address seen by the internet belongs to ({@code wan1}), if any. */
    public Optional<String> wanOf(IpAddress seen) {
        return wanOf.apply(seen);
    }

    /** {@code n} new TCP connections to the whoami server at {@code target}, from the namespace's default source. */
    public Tally tally(IpAddress target, int n) {
        return tally(target, n, Optional.empty(), DEFAULT_TIMEOUT);
    }

    /**
     * Opens {@code n} (1..100000) new TCP connections one after the other to {@code target}:{@value LabServers#WHOAMI_PORT},
     * each a new conntrack flow, and tallies the WAN each one left through. A connection that fails or gets no
     * answer within {@code timeout} counts as failed, not as an exception.
     *
     * @param source bind to this local address (one of the LAN client's addresses), or let routing choose
     */
    public Tally tally(IpAddress target, int n, Optional<IpAddress> source, Duration timeout) {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("connection count " + n + " out of range 1..100000");
        }
        TreeMap<String, Integer> byWan = new TreeMap<>();
        int unknown = 0;
        int failed = 0;
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try (SocketChannel c = connect(target, LabServers.WHOAMI_PORT, source, timeout)) {
                Optional<Whoami> w = Whoami.parse(readLine(c));
                Optional<String> wan = w.flatMap(x -> wanOf.apply(x.address()));
                if (wan.isPresent()) {
                    byWan.merge(wan.get(), 1, Integer::sum);
                } else {
                    unknown++;
                    if (errors.size() < 5) {
                        errors.add("answer from no WAN: " + w.map(Whoami::line).orElse("(unreadable)"));
                    }
                }
            } catch (IOException | LabException e) {
                failed++;
                if (errors.size() < 5) {
                    errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        return new Tally(byWan, unknown, failed, errors);
    }

    /** One TCP connection's whoami, or the reason it failed. */
    public Whoami whoami(IpAddress target) throws IOException {
        try (SocketChannel c = connect(target, LabServers.WHOAMI_PORT, Optional.empty(), DEFAULT_TIMEOUT)) {
            String line = readLine(c);
            return Whoami.parse(line).orElseThrow(() -> new IOException("unreadable whoami answer: " + line));
        }
    }

    /** Opens a long-lived TCP connection to the whoami server; ask it {@link TcpSession#whoami()} any time. */
    public TcpSession session(IpAddress target) throws IOException {
        SocketChannel c = connect(target, LabServers.WHOAMI_PORT, Optional.empty(), DEFAULT_TIMEOUT);
        try {
            return new TcpSession(c, wanOf);
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Starts a long-lived UDP flow (one socket, so one conntrack entry) to the UDP whoami server, one datagram per
     * {@code interval}, for at most {@code maxDuration}.
     */
    public UdpFlow udpFlow(IpAddress target, Duration interval, Duration maxDuration) {
        return new UdpFlow(ns, target, LabServers.WHOAMI_PORT, interval, maxDuration, wanOf);
    }

    /** {@code GET /} on the lab's HTTP server, like an httping probe. */
    public HttpAnswer httpGet(IpAddress target) throws IOException {
        long start = System.nanoTime();
        try (SocketChannel c = connect(target, LabServers.HTTP_PORT, Optional.empty(), DEFAULT_TIMEOUT)) {
            c.socket().getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = reader(c);
            String status = in.readLine();
            if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("not an HTTP status line from " + target + ": " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                // headers: nothing needed from them
            }
            String body = in.readLine();
            Whoami w = Whoami.parse(body).orElseThrow(() -> new IOException("unreadable HTTP body from " + target + ": " + body));
            return new HttpAnswer(code, w, wanOf.apply(w.address()), Duration.ofNanos(System.nanoTime() - start));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status from " + target + ": " + e.getMessage(), e);
        }
    }

    /** ICMP echo from this namespace; see {@link PingOptions} for device, mark, count. */
    public PingResult ping(IpAddress target, PingOptions options) {
        return Pinger.ping(ns, target, options);
    }

    private SocketChannel connect(IpAddress target, int port, Optional<IpAddress> source, Duration timeout) throws IOException {
        SocketChannel c = ns.inside(SocketChannel::open);
        try {
            if (source.isPresent()) {
                c.bind(new InetSocketAddress(source.get().toInetAddress(), 0));
            }
            c.socket().connect(new InetSocketAddress(target.toInetAddress(), port), (int) timeout.toMillis());
            c.socket().setSoTimeout((int) timeout.toMillis());
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static BufferedReader reader(SocketChannel c) throws IOException {
        return new BufferedReader(new InputStreamReader(c.socket().getInputStream(), StandardCharsets.US_ASCII));
    }

    private static String readLine(SocketChannel c) throws IOException {
        String line = reader(c).readLine();
        if (line == null) {
            throw new IOException("connection closed before an answer");
        }
        return line;
    }
}

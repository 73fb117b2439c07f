package org.mwan4.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mwan4.config.IpAddress;

/**
 * A long-lived UDP flow: one socket (so one conntrack entry) sending a numbered datagram every interval to the
 * UDP whoami server, recording which WAN each answer says the datagram left through. Shows a flow's path over
 * time, e.g. that it moves only after {@code flush_conntrack}. Stops by itself after its maximum duration.
 */
public final class UdpFlow implements AutoCloseable {
    /** Bounded so a forgotten flow cannot grow without limit. */
    static final int MAX_SAMPLES = 100_000;

    /**
     * One datagram.
     *
     * @param seq    its number, from 0
     * @param sentAt when it was sent, nanoseconds after the flow started
     * @param wan    the WAN its answer names; empty while unanswered (lost or late)
     * @param rtt    round trip, when answered
     */
    public record Sample(int seq, long sentAt, Optional<String> wan, Optional<Duration> rtt) {}

    private final DatagramChannel channel;
    private final Function<IpAddress, Optional<String>> wanOf;
    private final Duration interval;
    private final long started = System.nanoTime();
    private final long deadline;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;

    UdpFlow(Netns ns, IpAddress target, int port, Duration interval, Duration maxDuration,
            Function<IpAddress, Optional<String>> wanOf) {
        if (interval.toMillis() < 1 || maxDuration.isNegative()) {
            throw new IllegalArgumentException("UDP flow interval must be >= 1 ms, got " + interval);
        }
        this.wanOf = wanOf;
        this.interval = interval;
        this.deadline = started + maxDuration.toNanos();
        this.channel = ns.inside(() -> {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.connect(new InetSocketAddress(target.toInetAddress(), port));
                return ch;
            } catch (IOException e) {
                ch.close();
                throw new LabException("cannot open a UDP flow to " + target + ":" + port + " in " + ns + ": " + e.getMessage(), e);
            }
        });
        this.loop = Thread.ofVirtual().name("lab-udp-flow").start(this::run);
    }

    private void run() {
        byte[] buf = new byte[512];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        int seq = 0;
        try {
            while (running && System.nanoTime() < deadline && seq < MAX_SAMPLES) {
                long sendAt = started + interval.toNanos() * seq;
                long now = System.nanoTime();
                if (now >= sendAt) {
                    send(seq++, now);
                    continue;
                }
                channel.socket().setSoTimeout((int) Math.max(1, (sendAt - now) / 1_000_000));
                try {
                    channel.socket().receive(packet);
                    answered(new String(buf, 0, packet.getLength(), StandardCharsets.US_ASCII), System.nanoTime());
                } catch (SocketTimeoutException e) {
                    // time for the next datagram
                } catch (java.net.SocketException e) {
                    // an ICMP error for an earlier datagram (port/host unreachable): that one is lost, keep going
                }
            }
        } catch (IOException e) {
            // closed, or the socket broke: the flow ends; samples so far stay readable
        } finally {
            running = false;
        }
    }

    private void send(int seq, long now) throws IOException {
        synchronized (samples) {
            samples.add(new Sample(seq, now - started, Optional.empty(), Optional.empty()));
        }
        try {
            channel.write(java.nio.ByteBuffer.wrap(Integer.toString(seq).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.net.SocketException e) {
            // no route right now (a link is down) or an ICMP error from an earlier datagram: this one is lost
        }
    }

    /** {@code "<address> <port> <seq>"} from the server. */
    private void answered(String text, long now) {
        String[] w = text.strip().split("\\s+");
        if (w.length < 3) {
            return;
        }
        Optional<IpAddress> seen = IpAddress.parse(w[0]);
        int seq;
        try {
            seq = Integer.parseInt(w[2]);
        } catch (NumberFormatException e) {
            return;
        }
        synchronized (samples) {
            if (seq < 0 || seq >= samples.size() || samples.get(seq).wan().isPresent()) {
                return;
            }
            Sample s = samples.get(seq);
            samples.set(seq, new Sample(seq, s.sentAt(), seen.flatMap(wanOf).or(() -> Optional.of("unknown")),
                    Optional.of(Duration.ofNanos(now - started - s.sentAt()))));
        }
    }

    /** All datagrams so far, in order. */
    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The WAN of the most recent answered datagram. */
    public Optional<String> currentWan() {
        List<Sample> s = samples();
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).wan().isPresent()) {
                return s.get(i).wan();
            }
        }
        return Optional.empty();
    }

    /** The WANs the flow was seen on, consecutive repeats collapsed: {@code [wan1, wan2]} after one move. */
    public List<String> path() {
        List<String> out = new ArrayList<>();
        for (Sample s : samples()) {
            s.wan().filter(w -> out.isEmpty() || !out.getLast().equals(w)).ifPresent(out::add);
        }
        return out;
    }

    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
            loop.join(2000);
        } catch (IOException e) {
            // nothing to act on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

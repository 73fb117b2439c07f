package org.mwan4.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * {@code ping} for the lab, over a raw ICMP socket in a namespace: no fork, per-device and per-mark, with
 * round-trip times. Bounded: count * interval + timeout (plus 5 s to spare at worst).
 */
final class Pinger {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final byte[] PAYLOAD = "mwan4-lab-ping!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Pinger() {}

    /** Equals {@code ip netns exec NS ping [-I dev] [-m mark] -c count -i interval -W timeout target}. */
    static PingResult ping(Netns from, IpAddress target, PingOptions o) {
        Family family = target.family();
        RawIcmpSocket socket = from.inside(() -> {
            RawIcmpSocket s = RawIcmpSocket.open(family);
            try {
                o.device().ifPresent(s::bindToDevice);
                if (o.mark() != 0) {
                    s.mark(o.mark());
                }
                // wake up at least once per interval to send on time (1 ms at the finest)
                s.receiveTimeout(Duration.ofMillis(Math.clamp(o.interval().toMillis(), 1, POLL.toMillis())));
                return s;
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        });
        try (socket) {
            return run(socket, target, o);
        }
    }

    private static PingResult run(RawIcmpSocket socket, IpAddress target, PingOptions o) {
        int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
        long interval = o.interval().toNanos();
        long[] sentAt = new long[o.count()];
        long[] rtt = new long[o.count()];
        int sent = 0;
        int received = 0;
        long start = System.nanoTime();
        // a hard stop even if the clock or the socket misbehave: the whole schedule, the wait, and 5 s to spare
        long hardStop = start + interval * o.count() + o.timeout().toNanos() + 5_000_000_000L;
        long deadline = Long.MAX_VALUE; // set once the last request is out
        while (received < o.count()) {
            long now = System.nanoTime();
            if (now >= hardStop || (sent == o.count() && now >= deadline)) {
                break;
            }
            // every request that is due goes out now, so a slow receive never thins out the schedule
            while (sent < o.count() && now >= start + interval * sent) {
                sentAt[sent] = System.nanoTime();
                try {
                    socket.send(target, new IcmpEcho(target.family(), true, id, sent, PAYLOAD).encode());
                } catch (LabException e) {
                    // e.g. "Network is unreachable" while a link is down: counts as lost, like ping does
                }
                sent++;
                if (sent == o.count()) {
                    deadline = System.nanoTime() + o.timeout().toNanos();
                }
            }
            Optional<RawIcmpSocket.Received> r = socket.receive();
            if (r.isEmpty() || !r.get().from().equals(target)) {
                continue;
            }
            byte[] d = r.get().data();
            Optional<IcmpEcho> echo = target.family() == Family.IPV4
                    ? IcmpEcho.decodeIpv4Packet(d, d.length)
                    : IcmpEcho.decode(Family.IPV6, d, 0, d.length);
            if (echo.isPresent() && !echo.get().request() && echo.get().id() == id) {
                int seq = echo.get().seq();
                if (seq < sent && rtt[seq] == 0) {
                    rtt[seq] = Math.max(1, System.nanoTime() - sentAt[seq]);
                    received++;
                }
            }
        }
        List<Duration> rtts = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            if (rtt[i] > 0) {
                rtts.add(Duration.ofNanos(rtt[i]));
            }
        }
        return new PingResult(sent, received, rtts);
    }
}

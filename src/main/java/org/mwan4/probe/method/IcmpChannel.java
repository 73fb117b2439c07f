package org.mwan4.probe.method;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.KernelException;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.NativeSocket;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.SockAddr;

/**
 * One raw ICMP/ICMPv6 socket for every ICMP prober on the same path (device, source, mark, TTL), opened on
 * first use and closed with its last user. The kernel hands a raw socket a copy of every echo reply that
 * arrives on its device, so one socket per path instead of one per tracker means one copy and one system call
 * per reply, however many trackers share the WAN; replies are handed to the prober owning their identifier.
 * After a send error other than EAGAIN the socket is closed and reopened on the next send (the device may have
 * gone and come back).
 */
final class IcmpChannel {
    private static final int RX_BYTES = 65_536;
    private static final int RCVBUF_BYTES = 4 << 20; // a round's burst of replies (hundreds of targets) must fit

    /** Who gets the replies carrying one identifier. */
    interface Receiver {
        void reply(IcmpEcho.Reply reply, long nowNanos, long kernelStampNanos);
    }

    /** Which probes may share a socket. */
    record Key(Family family, String device, IpAddress source, int mark, int ttl) {
        String describe() {
            return family.id() + " via " + device + (source == null ? "" : " from " + source) + " mark 0x" + Integer.toHexString(mark);
        }
    }

    private final ProbeLoop loop;
    private final Key key;
    private final Map<Integer, Receiver> receivers = new HashMap<>();
    private final Map<IpAddress, MemorySegment> encodedTargets = new HashMap<>();
    private final byte[] rxBytes = new byte[RX_BYTES];
    private NativeSocket socket;
    private MemorySegment tx;
    private MemorySegment rx;

    IcmpChannel(ProbeLoop loop, Key key) {
        this.loop = loop;
        this.key = key;
    }

    boolean has(int id) {
        return receivers.containsKey(id);
    }

    void attach(int id, Receiver r) {
        receivers.put(id, r);
    }

    /** Removes a user; returns true when none is left (the caller then forgets this channel). */
    boolean detach(int id) {
        receivers.remove(id);
        if (receivers.isEmpty()) {
            close();
            return true;
        }
        return false;
    }

    /**
     * clock_gettime(CLOCK_REALTIME), the clock of the kernel's receive stamps (opens the socket if needed).
     *
     * @throws KernelException when the socket cannot be opened
     */
    long realtimeNanos() {
        return socket().realtimeNanos();
    }

    /**
     * Sends one ICMP message to {@code target}; returns the bytes sent or {@code -errno}.
     *
     * @throws KernelException when the socket cannot be opened (device missing, source not configured...)
     */
    long send(byte[] message, IpAddress target) {
        NativeSocket s = socket();
        MemorySegment.copy(message, 0, tx, JAVA_BYTE, 0, message.length);
        MemorySegment to = encodedTargets.computeIfAbsent(target, t -> {
            byte[] a = SockAddr.Inet.of(t, 0).encode();
            MemorySegment m = s.allocate(a.length).asSlice(0, a.length);
            MemorySegment.copy(a, 0, m, JAVA_BYTE, 0, a.length);
            return m;
        });
        long r = s.sendTo(tx, message.length, to, (int) to.byteSize());
        if (r < 0 && -r != LinuxAbi.EAGAIN) {
            close();
        }
        return r;
    }

    private NativeSocket socket() {
        if (socket != null) {
            return socket;
        }
        boolean v4 = key.family() == Family.IPV4;
        NativeSocket s = NativeSocket.openBound(loop.libc(), v4 ? LinuxAbi.AF_INET : LinuxAbi.AF_INET6, LinuxAbi.SOCK_RAW,
                v4 ? LinuxAbi.IPPROTO_ICMP : LinuxAbi.IPPROTO_ICMPV6, key.device(),
                key.source() == null ? null : SockAddr.Inet.of(key.source(), 0), key.mark(), "ICMP socket " + key.describe());
        try {
            if (v4) {
                s.setInt(LinuxAbi.IPPROTO_IP, LinuxAbi.IP_TTL, key.ttl(), "IP_TTL");
                s.setBytes(LinuxAbi.SOL_RAW, LinuxAbi.ICMP_FILTER, IcmpSocketFilter.echoReplyOnlyV4(), "ICMP_FILTER");
            } else {
                s.setInt(LinuxAbi.IPPROTO_IPV6, LinuxAbi.IPV6_UNICAST_HOPS, key.ttl(), "IPV6_UNICAST_HOPS");
                s.setBytes(LinuxAbi.IPPROTO_ICMPV6, LinuxAbi.ICMPV6_FILTER, IcmpSocketFilter.echoReplyOnlyV6(), "ICMPV6_FILTER");
            }
            // the kernel stamps each reply on arrival, so a busy loop does not inflate round-trip times (ping does the same)
            s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            try {
                s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_RCVBUFFORCE, RCVBUF_BYTES, "SO_RCVBUFFORCE");
            } catch (KernelException e) {
                s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_RCVBUF, RCVBUF_BYTES, "SO_RCVBUF"); // capped at net.core.rmem_max
            }
            tx = s.allocate(IcmpEcho.HEADER + IcmpEcho.MAX_SIZE);
            rx = s.allocate(RX_BYTES);
            loop.register(s.fd(), LinuxAbi.EPOLLIN, ev -> drain());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        return s;
    }

    private void drain() {
        NativeSocket s = socket;
        while (s != null && !s.isClosed()) {
            long n = s.receiveStamped(rx, RX_BYTES);
            if (n < 0) {
                return; // EAGAIN: drained (errors on raw sockets are not queued without IP_RECVERR)
            }
            long now = loop.nanoTime();
            int len = (int) n;
            MemorySegment.copy(rx, JAVA_BYTE, 0, rxBytes, 0, len);
            IpAddress v6Source = key.family() == Family.IPV6
                    ? s.lastSource().map(a -> a instanceof SockAddr.Inet i ? i.address() : null).orElse(null) : null;
            IcmpEcho.Reply reply = IcmpEcho.parseReply(key.family(), rxBytes, len, v6Source).orElse(null);
            Receiver r = reply == null ? null : receivers.get(reply.id());
            if (r != null) {
                r.reply(reply, now, s.lastStampNanos());
            }
        }
    }

    private void close() {
        if (socket != null) {
            loop.unregister(socket.fd());
            socket.close();
            socket = null;
            encodedTargets.clear();
        }
    }
}

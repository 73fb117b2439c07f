package org.mwan4.probe.method;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.NativeSocket;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.Scheduler.Cancellable;
import org.mwan4.probe.net.SockAddr;

/**
 * {@code ping} / {@code nping-icmp}: ICMP or ICMPv6 echo over one raw socket per tracker, shared by
 * all its targets and rounds, bound to the WAN device and source and marked (see {@link NativeSocket#openBound}).
 *
 * <p>Why raw and not SOCK_DGRAM "ping sockets": a ping socket is only allowed when the process's group
 * is inside {@code net.ipv4.ping_group_range}, which is "1 0" (nobody) by default on Linux and OpenWrt, and
 * mwan4 must not change host sysctls. Raw sockets need CAP_NET_RAW, which a daemon that writes nft rules
 * has anyway. With a ping socket the kernel would pick the identifier (the local "port") and demultiplex
 * replies; with a raw socket mwan4 does both itself: each prober gets its own identifier from the engine,
 * a kernel BPF filter drops other identifiers before they reach the socket, and a reply must also match the
 * sequence number, the target address and a random per-prober cookie in the payload. So concurrent trackers
 * (even on the same device, probing the same target) and other programs' pings never mix.
 */
public final class IcmpEchoProber implements Prober {
    private static final int RX_BYTES = 65_536;

    private final ProbeLoop loop;
    private final ProbePath path;
    private final int size;
    private final int maxTtl;
    private final int id;
    private final long cookie;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<IpAddress, MemorySegment> encodedTargets = new HashMap<>();
    private final byte[] rxBytes = new byte[RX_BYTES];
    private NativeSocket socket;
    private MemorySegment tx;
    private MemorySegment rx;
    private int seq;

    private record Pending(IpAddress target, ProbeListener listener, long sentAt, long sentRealtime) {}

    /**
     * @param id     ICMP identifier, unique among this engine's ICMP probers
     * @param cookie random payload marker of this prober
     */
    public IcmpEchoProber(ProbeLoop loop, ProbePath path, int size, int maxTtl, int id, long cookie) {
        this.loop = loop;
        this.path = path;
        this.size = Math.clamp(size, 0, IcmpEcho.MAX_SIZE);
        this.maxTtl = Math.clamp(maxTtl, 1, 255);
        this.id = id & 0xFFFF;
        this.cookie = cookie;
    }

    public int identifier() {
        return id;
    }

    @Override
    public Cancellable send(IpAddress target, ProbeListener listener) {
        if (target.family() != path.family()) {
            return Deferred.failure(loop, listener, "target " + target + " is not " + path.family().id() + " (" + path.describe() + ")");
        }
        NativeSocket s;
        try {
            s = socket();
        } catch (KernelException e) {
            return Deferred.failure(loop, listener, e.getMessage());
        }
        int sq = nextSeq();
        byte[] packet = IcmpEcho.request(path.family(), id, sq, cookie, size);
        MemorySegment.copy(packet, 0, tx, JAVA_BYTE, 0, packet.length);
        MemorySegment to = encodedTargets.computeIfAbsent(target, t -> encode(s, t));
        long sentRealtime = s.realtimeNanos();
        long sentAt = loop.nanoTime();
        long r = s.sendTo(tx, packet.length, to, (int) to.byteSize());
        if (r < 0) {
            int errno = (int) -r;
            if (errno != LinuxAbi.EAGAIN) {
                reset(); // e.g. the device went away: reopen on the next probe
            }
            return Deferred.failure(loop, listener, "sendto " + target + " (" + path.describe() + "): " + Errno.describe(errno));
        }
        Pending p = new Pending(target, listener, sentAt, sentRealtime);
        Integer key = sq;
        pending.put(key, p);
        return () -> pending.remove(key, p);
    }

    private int nextSeq() {
        for (int i = 0; i < 0x10000; i++) {
            seq = (seq + 1) & 0xFFFF;
            if (!pending.containsKey(seq)) {
                return seq;
            }
        }
        return seq; // 65536 outstanding probes: reuse the oldest number
    }

    private static MemorySegment encode(NativeSocket s, IpAddress target) {
        byte[] a = SockAddr.Inet.of(target, 0).encode();
        MemorySegment m = s.allocate(a.length).asSlice(0, a.length);
        MemorySegment.copy(a, 0, m, JAVA_BYTE, 0, a.length);
        return m;
    }

    private NativeSocket socket() {
        if (socket != null) {
            return socket;
        }
        boolean v4 = path.family() == Family.IPV4;
        NativeSocket s = NativeSocket.openBound(loop.libc(), v4 ? LinuxAbi.AF_INET : LinuxAbi.AF_INET6, LinuxAbi.SOCK_RAW,
                v4 ? LinuxAbi.IPPROTO_ICMP : LinuxAbi.IPPROTO_ICMPV6, path.device(),
                path.source() == null ? null : SockAddr.Inet.of(path.source(), 0), path.mark(), "ICMP socket of " + path.describe());
        try {
            if (v4) {
                s.setInt(LinuxAbi.IPPROTO_IP, LinuxAbi.IP_TTL, maxTtl, "IP_TTL");
                s.setBytes(LinuxAbi.SOL_RAW, LinuxAbi.ICMP_FILTER, IcmpSocketFilter.echoReplyOnlyV4(), "ICMP_FILTER");
            } else {
                s.setInt(LinuxAbi.IPPROTO_IPV6, LinuxAbi.IPV6_UNICAST_HOPS, maxTtl, "IPV6_UNICAST_HOPS");
                s.setBytes(LinuxAbi.IPPROTO_ICMPV6, LinuxAbi.ICMPV6_FILTER, IcmpSocketFilter.echoReplyOnlyV6(), "ICMPV6_FILTER");
            }
            // the kernel stamps each reply on arrival, so a busy loop does not inflate round-trip times (ping does the same)
            s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
            attachFilter(s);
            tx = s.allocate(IcmpEcho.HEADER + size);
            rx = s.allocate(RX_BYTES);
            loop.register(s.fd(), LinuxAbi.EPOLLIN, ev -> drain());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        return s;
    }

    /** SO_ATTACH_FILTER with struct sock_fprog { unsigned short len; struct sock_filter *filter; } (linux/filter.h). */
    private void attachFilter(NativeSocket s) {
        byte[] program = IcmpSocketFilter.identifierProgram(path.family(), id);
        MemorySegment insns = s.allocate(program.length);
        MemorySegment.copy(program, 0, insns, JAVA_BYTE, 0, program.length);
        MemorySegment fprog = s.allocate(16).asSlice(0, 16);
        fprog.set(JAVA_SHORT, 0, (short) (program.length / IcmpSocketFilter.INSTRUCTION_BYTES));
        fprog.set(ADDRESS, 8, insns);
        s.setSegment(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_ATTACH_FILTER, fprog, "SO_ATTACH_FILTER");
    }

    private void drain() {
        NativeSocket s = socket;
        while (s != null && !s.isClosed()) {
            long n = s.receiveStamped(rx, RX_BYTES);
            if (n < 0) {
                return; // EAGAIN: drained (errors on raw sockets are not queued without IP_RECVERR)
            }
            long now = loop.nanoTime();
            long stamp = s.lastStampNanos();
            int len = (int) n;
            MemorySegment.copy(rx, JAVA_BYTE, 0, rxBytes, 0, len);
            IpAddress v6Source = path.family() == Family.IPV6
                    ? s.lastSource().map(a -> a instanceof SockAddr.Inet i ? i.address() : null).orElse(null) : null;
            IcmpEcho.parseReply(path.family(), rxBytes, len, v6Source).ifPresent(reply -> match(reply, now, stamp));
        }
    }

    private void match(IcmpEcho.Reply reply, long now, long stamp) {
        if (reply.id() != id || (size >= IcmpEcho.COOKIE && reply.cookie() != cookie)) {
            return;
        }
        Pending p = pending.get(reply.seq());
        if (p == null || !p.target().equals(reply.source())) {
            return; // a duplicate, a late reply already given up on, or not from the target we asked
        }
        pending.remove(reply.seq());
        long byLoop = now - p.sentAt();
        long byKernel = stamp - p.sentRealtime();
        // the kernel's stamp unless the wall clock stepped in between (then it disagrees with the monotonic clock)
        boolean stampUsable = stamp > 0 && p.sentRealtime() > 0 && byKernel >= 0 && byKernel <= byLoop;
        p.listener().answered(stampUsable ? byKernel : byLoop);
    }

    private void reset() {
        if (socket != null) {
            loop.unregister(socket.fd());
            socket.close();
            socket = null;
            encodedTargets.clear();
        }
    }

    @Override
    public void close() {
        reset();
        pending.clear();
    }
}

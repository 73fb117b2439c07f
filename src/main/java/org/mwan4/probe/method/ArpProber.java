package org.mwan4.probe.method;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.MacAddress;
import org.mwan4.probe.net.NativeSocket;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.Scheduler.Cancellable;
import org.mwan4.probe.net.SockAddr;

/**
 * {@code arping} / {@code nping-arp} (IPv4 only): a broadcast ARP request "who has target? tell source" on an
 * AF_PACKET socket bound to the WAN device (so it can only go out there), answered by the target's ARP reply.
 * One socket per tracker. The sender address is the tracker's source, else the device's primary IPv4
 * address (SIOCGIFADDR), as {@code arping -I dev} picks. ARP has no sequence number: a reply answers the
 * oldest outstanding request to that target. Targets must be on the WAN's link, as with arping.
 */
public final class ArpProber implements Prober {
    private static final int RX_BYTES = 2048;
    private static final int IFREQ_BYTES = 40; // sizeof(struct ifreq), linux/if.h

    private final ProbeLoop loop;
    private final ProbePath path;
    private final Map<IpAddress, ArrayDeque<Pending>> pending = new HashMap<>();
    private final byte[] rxBytes = new byte[RX_BYTES];
    private NativeSocket socket;
    private MemorySegment broadcast;
    private MemorySegment tx;
    private MemorySegment rx;
    private MacAddress mac;
    private IpAddress source;

    private record Pending(IpAddress target, ProbeListener listener, long sentAt) {}

    public ArpProber(ProbeLoop loop, ProbePath path) {
        this.loop = loop;
        this.path = path;
    }

    @Override
    public Cancellable send(IpAddress target, ProbeListener listener) {
        if (path.family() != Family.IPV4 || target.family() != Family.IPV4) {
            return Deferred.failure(loop, listener, "arping probes IPv4 targets only, not " + target + " (" + path.describe() + ")");
        }
        NativeSocket s;
        try {
            s = socket();
        } catch (KernelException e) {
            return Deferred.failure(loop, listener, e.getMessage());
        }
        byte[] frame = ArpPacket.encode(ArpPacket.request(mac, source, target));
        MemorySegment.copy(frame, 0, tx, JAVA_BYTE, 0, frame.length);
        long sentAt = loop.nanoTime();
        long r = s.sendTo(tx, frame.length, broadcast, (int) broadcast.byteSize());
        if (r < 0) {
            if (-r != LinuxAbi.EAGAIN) {
                reset();
            }
            return Deferred.failure(loop, listener, "arping " + target + " (" + path.describe() + "): sendto: " + Errno.describe((int) -r));
        }
        Pending p = new Pending(target, listener, sentAt);
        pending.computeIfAbsent(target, t -> new ArrayDeque<>()).add(p);
        return () -> {
            ArrayDeque<Pending> q = pending.get(target);
            if (q != null) {
                q.remove(p);
            }
        };
    }

    private NativeSocket socket() {
        if (socket != null) {
            return socket;
        }
        String what = "ARP socket of " + path.describe();
        // socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP)): the kernel adds and strips the Ethernet header
        NativeSocket s = NativeSocket.open(loop.libc(), LinuxAbi.AF_PACKET, LinuxAbi.SOCK_DGRAM,
                Short.toUnsignedInt(LinuxAbi.htons(LinuxAbi.ETH_P_ARP)), what);
        try {
            if (path.mark() != 0) {
                s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_MARK, path.mark(), "SO_MARK");
            }
            MemorySegment ifreq = s.allocate(IFREQ_BYTES);
            byte[] name = path.device().getBytes(StandardCharsets.US_ASCII);
            if (name.length >= 16) {
                throw new KernelException("device name too long: " + path.device());
            }
            MemorySegment.copy(name, 0, ifreq, JAVA_BYTE, 0, name.length);
            int ifindex = loop.libc().ifNameToIndex(ifreq);
            if (ifindex < 0) {
                throw new KernelException("no device " + path.device() + " for " + what + ": " + Errno.describe(-ifindex));
            }
            mac = MacAddress.of(ioctl(s, ifreq, LinuxAbi.SIOCGIFHWADDR, "SIOCGIFHWADDR"), 18); // ifr_hwaddr.sa_data
            source = path.source() != null ? path.source()
                    : IpAddress.of(java.util.Arrays.copyOfRange(ioctl(s, ifreq, LinuxAbi.SIOCGIFADDR, "SIOCGIFADDR (no IPv4 address?)"), 20, 24));
            s.bind(new SockAddr.Link(LinuxAbi.ETH_P_ARP, ifindex, 0, 0, null));
            byte[] to = SockAddr.Link.broadcast(LinuxAbi.ETH_P_ARP, ifindex).encode();
            broadcast = s.allocate(to.length).asSlice(0, to.length);
            MemorySegment.copy(to, 0, broadcast, JAVA_BYTE, 0, to.length);
            tx = s.allocate(ArpPacket.BYTES);
            rx = s.allocate(RX_BYTES);
            loop.register(s.fd(), LinuxAbi.EPOLLIN, ev -> drain());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        return s;
    }

    /** ioctl(fd, request, &ifreq) on the device; returns the whole struct ifreq. */
    private byte[] ioctl(NativeSocket s, MemorySegment ifreq, long request, String name) {
        int r = s.ioctl(request, ifreq);
        if (r < 0) {
            throw new KernelException(name + " " + path.device() + " for arping: " + Errno.describe(-r));
        }
        return ifreq.toArray(JAVA_BYTE);
    }

    private void drain() {
        NativeSocket s = socket;
        while (s != null && !s.isClosed()) {
            long n = s.receive(rx, RX_BYTES);
            if (n < 0) {
                return;
            }
            long now = loop.nanoTime();
            MemorySegment.copy(rx, JAVA_BYTE, 0, rxBytes, 0, (int) n);
            ArpPacket.decode(rxBytes, (int) n).ifPresent(m -> {
                if (m.op() != ArpPacket.REPLY || !m.targetIp().equals(source)) {
                    return;
                }
                ArrayDeque<Pending> q = pending.get(m.senderIp());
                Pending p = q == null ? null : q.poll();
                if (p != null) {
                    p.listener().answered(now - p.sentAt());
                }
            });
        }
    }

    private void reset() {
        if (socket != null) {
            loop.unregister(socket.fd());
            socket.close();
            socket = null;
        }
    }

    @Override
    public void close() {
        reset();
        pending.clear();
    }
}

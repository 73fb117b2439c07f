package org.mwan4.probe.method;

import java.util.HashMap;
import java.util.Map;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.Scheduler.Cancellable;

/**
 * {@code ping} / {@code nping-icmp}: ICMP or ICMPv6 echo through the raw socket of the tracker's path
 * ({@link IcmpChannel}: bound to the WAN device and source, marked, see {@link org.mwan4.probe.net.NativeSocket#openBound}).
 *
 * <p>Why raw and not SOCK_DGRAM "ping sockets": a ping socket is only allowed when the process's group
 * is inside {@code net.ipv4.ping_group_range}, which is "1 0" (nobody) by default on Linux and OpenWrt, and
 * mwan4 must not change host sysctls. Raw sockets need CAP_NET_RAW, which a daemon that writes nft rules
 * has anyway. With a ping socket the kernel would pick the identifier (the local "port") and demultiplex
 * replies; with a raw socket mwan4 does both itself: each prober gets its own identifier from the engine,
 * and a reply must match identifier, sequence number, target address and a random per-prober cookie in the
 * payload. So concurrent trackers (even on the same device, probing the same target at the same moment) and
 * other programs' pings never mix.
 */
public final class IcmpEchoProber implements Prober {
    private final ProbeLoop loop;
    private final ProbePath path;
    private final IcmpChannel channel;
    private final Runnable release;
    private final int id;
    private final long cookie;
    private final int size;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private int seq;

    private record Pending(IpAddress target, ProbeListener listener, long sentAt, long sentRealtime) {}

    /**
     * @param channel the path's shared socket; {@code release} is run once on close
     * @param id      ICMP identifier, unique among this engine's ICMP probers
     * @param cookie  random payload marker of this prober
     */
    IcmpEchoProber(ProbeLoop loop, ProbePath path, IcmpChannel channel, Runnable release, int size, int id, long cookie) {
        this.loop = loop;
        this.path = path;
        this.channel = channel;
        this.release = release;
        this.size = Math.clamp(size, 0, IcmpEcho.MAX_SIZE);
        this.id = id & 0xFFFF;
        this.cookie = cookie;
        channel.attach(this.id, this::reply);
    }

    @Override
    public Cancellable send(IpAddress target, ProbeListener listener) {
        if (target.family() != path.family()) {
            return Deferred.failure(loop, listener, "target " + target + " is not " + path.family().id() + " (" + path.describe() + ")");
        }
        int sq = nextSeq();
        byte[] packet = IcmpEcho.request(path.family(), id, sq, cookie, size);
        long sentRealtime;
        long sentAt;
        long r;
        try {
            sentRealtime = channel.realtimeNanos();
            sentAt = loop.nanoTime();
            r = channel.send(packet, target);
        } catch (KernelException e) {
            return Deferred.failure(loop, listener, e.getMessage());
        }
        if (r < 0) {
            return Deferred.failure(loop, listener, "sendto " + target + " (" + path.describe() + "): " + Errno.describe((int) -r));
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

    private void reply(IcmpEcho.Reply reply, long now, long stamp) {
        if (size >= IcmpEcho.COOKIE && reply.cookie() != cookie) {
            return; // our identifier, but not our payload: another program's ping
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

    @Override
    public void close() {
        pending.clear();
        release.run();
    }
}

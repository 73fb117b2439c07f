package org.mwan4.probe.method;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.ProbeLoop;

/**
 * {@code nslookup}: a recursive DNS query (A for IPv4 trackers, AAAA for IPv6) for the configured name,
 * sent to the target as server on UDP port 53 from a connected socket with a random source port and id.
 * It counts when a response with our id and question arrives with NOERROR or NXDOMAIN (the server works);
 * SERVFAIL or REFUSED do not: a resolver that lost its upstream is no proof that this WAN works.
 */
final class DnsProbe extends SocketProbe {
    static final int PORT = 53;
    private static final int MAX = 1500;

    private final String name;
    private final int id;
    private MemorySegment buf;
    private final byte[] rx = new byte[MAX];

    DnsProbe(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd, String name, int id) {
        super(loop, path, target, listener, onEnd);
        this.name = name;
        this.id = id & 0xFFFF;
    }

    private int qtype() {
        return path.family() == Family.IPV4 ? DnsMessage.TYPE_A : DnsMessage.TYPE_AAAA;
    }

    @Override
    protected int type() {
        return LinuxAbi.SOCK_DGRAM;
    }

    @Override
    protected int port() {
        return PORT;
    }

    @Override
    protected int afterConnect() {
        buf = socket.allocate(MAX);
        byte[] q;
        try {
            q = DnsMessage.query(id, name, qtype());
        } catch (IllegalArgumentException e) {
            failLater(describe() + ": " + e.getMessage());
            return LinuxAbi.EPOLLIN;
        }
        MemorySegment.copy(q, 0, buf, JAVA_BYTE, 0, q.length);
        long r = socket.send(buf, q.length);
        if (r < 0) {
            failLater(describe() + ": send: " + Errno.describe((int) -r));
        }
        return LinuxAbi.EPOLLIN;
    }

    @Override
    protected void ready(int events) {
        while (true) {
            long r = socket.receive(buf, MAX);
            if (r < 0) {
                if (-r != LinuxAbi.EAGAIN) {
                    fail(describe() + ": " + Errno.describe((int) -r));
                }
                return;
            }
            int len = (int) r;
            MemorySegment.copy(buf, JAVA_BYTE, 0, rx, 0, len);
            var resp = DnsMessage.parse(rx, len);
            if (resp.isEmpty() || resp.get().id() != id || !resp.get().isResponse()
                    || !resp.get().question().name().equalsIgnoreCase(stripDot(name)) || resp.get().question().type() != qtype()) {
                continue; // not the answer to our question: keep waiting
            }
            int rcode = resp.get().rcode();
            if (rcode == DnsMessage.RCODE_NOERROR || rcode == DnsMessage.RCODE_NXDOMAIN) {
                answer();
            } else {
                fail(describe() + ": server answered rcode " + rcode);
            }
            return;
        }
    }

    private static String stripDot(String n) {
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    protected String describe() {
        return "nslookup " + name + " @" + target + " (" + path.describe() + ")";
    }
}

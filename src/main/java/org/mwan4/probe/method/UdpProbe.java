package org.mwan4.probe.method;

import java.lang.foreign.MemorySegment;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.ProbeLoop;

/**
 * {@code nping-udp}: an empty UDP datagram to the target's port 40125 (nping's default UDP port) from a
 * connected socket. Any reply counts: a datagram, or the target's ICMP port unreachable, which the kernel
 * reports on a connected UDP socket as ECONNREFUSED. Other ICMP errors (host/net unreachable, from routers on
 * the way) and silence do not: they say the target was not reached.
 */
final class UdpProbe extends SocketProbe {
    static final int PORT = 40125;

    private MemorySegment buf;

    UdpProbe(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd) {
        super(loop, path, target, listener, onEnd);
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
        buf = socket.allocate(512);
        long r = socket.send(buf, 0);
        if (r < 0) {
            failLater(describe() + ": send: " + Errno.describe((int) -r));
        }
        return LinuxAbi.EPOLLIN;
    }

    @Override
    protected void ready(int events) {
        long r = socket.receive(buf, 512);
        if (r >= 0 || -r == LinuxAbi.ECONNREFUSED) {
            answer();
        } else if (-r != LinuxAbi.EAGAIN) {
            fail(describe() + ": " + Errno.describe((int) -r));
        }
    }

    @Override
    protected String describe() {
        return "nping-udp " + target + ":" + PORT + " (" + path.describe() + ")";
    }
}

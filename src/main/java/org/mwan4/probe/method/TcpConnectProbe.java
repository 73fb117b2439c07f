package org.mwan4.probe.method;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.NativeSocket;
import org.mwan4.probe.net.ProbeLoop;

/**
 * {@code nping-tcp}: a TCP connect to the target's port 80. Like nping, any answer from the target counts:
 * a SYN-ACK (connected) or a RST (ECONNREFUSED). ICMP errors (unreachable) and silence do not.
 * The socket closes with SO_LINGER 0, so the kernel answers with RST and keeps no TIME_WAIT state,
 * as nping's raw SYN probe leaves nothing behind either.
 */
final class TcpConnectProbe extends SocketProbe {
    static final int PORT = 80;

    TcpConnectProbe(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd) {
        super(loop, path, target, listener, onEnd);
    }

    @Override
    protected int type() {
        return LinuxAbi.SOCK_STREAM;
    }

    @Override
    protected int port() {
        return PORT;
    }

    @Override
    protected void beforeConnect(NativeSocket s) {
        s.setBytes(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_LINGER, lingerZero(), "SO_LINGER 0");
    }

    /** struct linger { int l_onoff = 1; int l_linger = 0; } (linux/socket.h). */
    static byte[] lingerZero() {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(1).putInt(0).array();
    }

    @Override
    protected int afterConnect() {
        return LinuxAbi.EPOLLOUT;
    }

    @Override
    protected void ready(int events) {
        int err = socket.pendingError();
        if (err == 0 || err == LinuxAbi.ECONNREFUSED) {
            answer();
        } else {
            fail(describe() + ": " + Errno.describe(err));
        }
    }

    @Override
    protected String describe() {
        return "nping-tcp " + target + ":" + PORT + " (" + path.describe() + ")";
    }
}

package org.mwan4.probe.method;

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
 * One probe over a socket of its own (TCP or UDP): opened bound to the WAN and marked
 * ({@link NativeSocket#openBound}), connected without blocking, then driven by readiness on the probe
 * loop until it answers or fails; the socket closes when the probe ends or is cancelled.
 * The round-trip time runs from the connect call to the answer.
 */
abstract class SocketProbe implements Cancellable {
    protected final ProbeLoop loop;
    protected final ProbePath path;
    protected final IpAddress target;
    private final ProbeListener listener;
    private final Runnable onEnd;
    protected NativeSocket socket;
    private long startedAt;
    private boolean over;

    SocketProbe(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd) {
        this.loop = loop;
        this.path = path;
        this.target = target;
        this.listener = listener;
        this.onEnd = onEnd;
    }

    /** SOCK_STREAM or SOCK_DGRAM. */
    protected abstract int type();

    protected abstract int port();

    /** Options to set before connect (e.g. SO_LINGER). */
    protected void beforeConnect(NativeSocket s) {}

    /** Called once connect(2) returned 0 or EINPROGRESS; returns the epoll interest to wait for next. */
    protected abstract int afterConnect();

    /** The socket is ready for {@code events}. */
    protected abstract void ready(int events);

    /** Short name for messages: {@code "nping-tcp 192.0.2.1:80 (wan/ipv4 via eth1)"}. */
    protected abstract String describe();

    final void start() {
        startedAt = loop.nanoTime();
        try {
            boolean v4 = target.family() == Family.IPV4;
            socket = NativeSocket.openBound(loop.libc(), v4 ? LinuxAbi.AF_INET : LinuxAbi.AF_INET6, type(), 0, path.device(),
                    path.source() == null ? null : SockAddr.Inet.of(path.source(), 0), path.mark(), describe());
            beforeConnect(socket);
            int r = socket.connect(SockAddr.Inet.of(target, port()));
            if (r < 0 && -r != LinuxAbi.EINPROGRESS) {
                failLater(describe() + ": connect: " + Errno.describe(-r));
                return;
            }
            int interest = afterConnect();
            if (!over) {
                loop.register(socket.fd(), interest, ev -> {
                    if (!over) {
                        ready(ev);
                    }
                });
            }
        } catch (KernelException e) {
            failLater(e.getMessage());
        }
    }

    protected final void interest(int events) {
        loop.modify(socket.fd(), events);
    }

    protected final void answer() {
        if (end()) {
            listener.answered(loop.nanoTime() - startedAt);
        }
    }

    protected final void fail(String reason) {
        if (end()) {
            listener.failed(reason);
        }
    }

    /** Fails on the next loop turn (the listener must not hear from inside {@link Prober#send}). */
    protected final void failLater(String reason) {
        loop.execute(() -> fail(reason));
    }

    private boolean end() {
        if (over) {
            return false;
        }
        cancel();
        return true;
    }

    @Override
    public final void cancel() {
        if (over) {
            return;
        }
        over = true;
        if (socket != null) {
            loop.unregister(socket.fd());
            socket.close();
        }
        onEnd.run();
    }
}

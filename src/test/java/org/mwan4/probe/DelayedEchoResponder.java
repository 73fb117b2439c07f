package org.mwan4.probe;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.probe.method.IcmpEcho;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.NativeSocket;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.SockAddr;

/**
 * A userspace ICMP echo responder that answers {@code delay} late, standing in for netem (not in this kernel).
 * It runs its own probe loop inside a namespace whose kernel ignores pings (icmp_echo_ignore_all=1), with a
 * raw socket bound to the target address (so replies leave from it).
 */
final class DelayedEchoResponder implements AutoCloseable {
    private final NetnsThread thread;
    private final ProbeLoop loop;
    private NativeSocket socket;

    private DelayedEchoResponder(NetnsThread thread, ProbeLoop loop) {
        this.thread = thread;
        this.loop = loop;
    }

    static DelayedEchoResponder start(String netns, IpAddress address, Duration delay) {
        NetnsThread t = NetnsThread.enter(netns);
        ProbeLoop loop = ProbeLoop.start(t, Clock.systemUTC());
        DelayedEchoResponder r = new DelayedEchoResponder(t, loop);
        CompletableFuture<Void> opened = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                r.open(address, delay.toNanos());
                opened.complete(null);
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
            }
        });
        opened.join();
        return r;
    }

    private void open(IpAddress address, long delayNanos) {
        socket = NativeSocket.open(loop.libc(), LinuxAbi.AF_INET, LinuxAbi.SOCK_RAW, LinuxAbi.IPPROTO_ICMP, "test responder");
        socket.bind(SockAddr.Inet.of(address, 0));
        MemorySegment rx = socket.allocate(65_536);
        MemorySegment tx = socket.allocate(65_536);
        byte[] buf = new byte[65_536];
        loop.register(socket.fd(), LinuxAbi.EPOLLIN, ev -> {
            for (long n; (n = socket.receive(rx, 65_536)) >= 0; ) {
                MemorySegment.copy(rx, JAVA_BYTE, 0, buf, 0, (int) n);
                IcmpEcho.parseRequestV4(buf, (int) n).ifPresent(req -> loop.at(loop.nanoTime() + delayNanos, () -> {
                    byte[] reply = IcmpEcho.replyTo(Family.IPV4, req.icmp());
                    MemorySegment.copy(reply, 0, tx, JAVA_BYTE, 0, reply.length);
                    byte[] to = SockAddr.Inet.of(req.source(), 0).encode();
                    MemorySegment dst = socket.allocate(to.length).asSlice(0, to.length);
                    MemorySegment.copy(to, 0, dst, JAVA_BYTE, 0, to.length);
                    socket.sendTo(tx, reply.length, dst, to.length);
                }));
            }
        });
    }

    @Override
    public void close() {
        loop.execute(() -> {
            if (socket != null) {
                loop.unregister(socket.fd());
                socket.close();
            }
        });
        loop.close();
        thread.close();
    }
}

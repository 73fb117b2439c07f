package org.mwan4.kernel.nft;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.mwan4.kernel.netlink.NetlinkSocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches nftables changes in one network namespace, like {@code nft monitor}: a NETLINK_NETFILTER socket
 * subscribed to NFNLGRP_NFTABLES, read by its own platform thread, each notification decoded
 * ({@link NftMessages}) and handed to the listener on that thread. The kernel sends a notification for
 * every change of every transaction as it commits, so an external {@code nft flush table inet fw4} or
 * {@code nft delete chain inet fw4 mwan4_...} reaches the listener within milliseconds.
 *
 * <p>When the kernel drops notifications because the socket buffer is full (ENOBUFS, e.g. during a
 * 100k-element set load) the listener gets {@link NftNotification.Overrun} and should re-read the ruleset.
 * Listener exceptions are logged and do not stop the monitor. {@link #close()} stops the thread within
 * {@link #POLL} and closes the socket.
 */
public final class NftMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NftMonitor.class);
    private static final int NFNLGRP_NFTABLES = 7;         // enum nfnetlink_groups, linux/netfilter/nfnetlink.h
    private static final int RECEIVE_BUFFER = 4 << 20;     // bursts: a flushed fw4 sends one message per rule
    private static final int DATAGRAM = 256 << 10;         // one recv; every attribute is < 64 KiB (u16 nla_len)
    /** How long close() may wait for the reader to notice. */
    static final Duration POLL = Duration.ofMillis(100);

    private final NetlinkSocket socket;
    private final Consumer<NftNotification> listener;
    private final Thread reader;
    private volatile boolean running = true;

    private NftMonitor(NetlinkSocket socket, Consumer<NftNotification> listener, String where) {
        this.socket = socket;
        this.listener = listener;
        this.reader = Thread.ofPlatform().name("nft-monitor-" + where).daemon().unstarted(this::loop);
    }

    /**
     * Subscribes in the namespace of {@code netns} and starts reading. Equals {@code ip netns exec NAME nft monitor}.
     *
     * @throws KernelException when the socket cannot be opened or subscribed
     */
    public static NftMonitor start(NetnsThread netns, Consumer<NftNotification> listener) {
        return start(netns, listener, RECEIVE_BUFFER);
    }

    static NftMonitor start(NetnsThread netns, Consumer<NftNotification> listener, int receiveBuffer) {
        // the socket lives in the thread's namespace
        NetlinkSocket s = netns.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER));
        try {
            s.joinGroup(NFNLGRP_NFTABLES);
            s.receiveBufferSize(receiveBuffer);
            s.receiveTimeout(POLL);
        } catch (KernelException e) {
            s.close();
            throw e;
        }
        NftMonitor m = new NftMonitor(s, listener, netns.name() == null ? "host" : netns.name());
        m.reader.start();
        return m;
    }

    private void loop() {
        byte[] datagram = new byte[DATAGRAM];
        try {
            while (running) {
                int n;
                try {
                    n = socket.receive(datagram);
                } catch (NetlinkSocketException e) {
                    if (e.errno() != Errno.ENOBUFS) {
                        throw e;
                    }
                    deliver(new NftNotification.Overrun());
                    continue;
                }
                if (n < 0) {
                    continue; // receive timeout: look at running again
                }
                for (NftNotification note : NftMessages.decode(ByteBuffer.wrap(datagram, 0, n))) {
                    deliver(note);
                }
            }
        } catch (KernelException e) {
            if (running) {
                LOG.error("nft monitor stopped: {}", e.getMessage());
                deliver(new NftNotification.Stopped(e.getMessage()));
            }
        } finally {
            socket.close();
        }
    }

    private void deliver(NftNotification note) {
        try {
            listener.accept(note);
        } catch (RuntimeException e) {
            LOG.warn("nft monitor listener failed on {}; monitor keeps running", note, e);
        }
    }

    /** True until the reader thread has ended. */
    boolean isRunning() {
        return reader.isAlive();
    }

    /** Stops the reader thread (waits up to a few poll intervals) and closes the socket. */
    @Override
    public void close() {
        running = false;
        try {
            reader.join(POLL.multipliedBy(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.mwan4.kernel.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;

/**
 * An {@code AF_NETLINK} socket through the Java FFM API: {@code socket}, {@code bind},
 * {@code setsockopt}, {@code sendto}, {@code recvfrom}, {@code close} from libc, errno captured per call.
 * The one socket class of the kernel package: {@link #NETLINK_ROUTE} for rtnetlink, {@link #NETLINK_NETFILTER}
 * for ctnetlink, the nf_tables monitor and nf_tables batches.
 * The socket belongs to the network namespace of the thread that opened it (open it on a
 * {@link org.mwan4.kernel.NetnsThread}); after that any one thread at a time may use it.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0; // linux/netlink.h
    public static final int NETLINK_NETFILTER = 12; // linux/netlink.h

    private static final int AF_NETLINK = 16; // bits/socket.h
    private static final int SOCK_RAW = 3; // bits/socket_type.h
    private static final int SOCK_CLOEXEC = 0x80000; // 02000000, bits/socket_type.h
    private static final int SOL_SOCKET = 1; // asm-generic/socket.h
    private static final int SO_SNDBUF = 7; // asm-generic/socket.h
    private static final int SO_RCVBUF = 8; // asm-generic/socket.h
    private static final int SO_SNDBUFFORCE = 32; // asm-generic/socket.h
    private static final int SO_RCVBUFFORCE = 33; // asm-generic/socket.h
    private static final int SO_RCVTIMEO = 20; // SO_RCVTIMEO_OLD, 64-bit time_t on x86_64, asm-generic/socket.h
    private static final int SOL_NETLINK = 270; // linux/socket.h
    private static final int NETLINK_ADD_MEMBERSHIP = 1; // linux/netlink.h
    private static final int NETLINK_CAP_ACK = 10; // linux/netlink.h
    private static final int NETLINK_EXT_ACK = 11; // linux/netlink.h
    private static final int NETLINK_GET_STRICT_CHK = 12; // linux/netlink.h
    private static final int MSG_TRUNC = 0x20; // bits/socket.h
    private static final int MSG_DONTWAIT = 0x40; // bits/socket.h
    private static final int SOCKADDR_NL_SIZE = 12; // struct sockaddr_nl, linux/netlink.h

    /** Dump parts are at most 32 KiB (netlink_recvmsg caps max_recvmsg_len); twice that leaves room. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** Largest send buffer kept between calls; see {@link #send(byte[], int)}. */
    private static final int KEPT_SEND_BUFFER = 64 * 1024;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = libc("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKNAME = libc("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle SETSOCKOPT = libc("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT = libc("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    private static final MethodHandle SENDTO = libc("sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));
    private static final MethodHandle RECVFROM = libc("recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(INT, INT));

    private final int fd;
    private final int protocol;
    private final int portId;
    private final Arena arena;
    private final MemorySegment state;
    private MemorySegment receive;
    private final MemorySegment kernelAddress;
    private final MemorySegment scratch;
    private MemorySegment send;
    private boolean closed;

    private NetlinkSocket(int fd, int protocol, int portId, Arena arena, MemorySegment state) {
        this.fd = fd;
        this.protocol = protocol;
        this.portId = portId;
        this.arena = arena;
        this.state = state;
        this.receive = arena.allocate(RECEIVE_BUFFER, 8);
        this.kernelAddress = arena.allocate(SOCKADDR_NL_SIZE, 4);
        kernelAddress.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK); // nl_pid 0: the kernel
        this.scratch = arena.allocate(16, 8);
        this.send = arena.allocate(4096, 8);
    }

    /**
     * Opens and binds a netlink socket of {@code protocol} (kernel-assigned port id), with extended
     * ACKs (the kernel's error text) and capped ACKs (errors echo only the request's header).
     */
    public static NetlinkSocket open(int protocol) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                throw new NetlinkSocketException("socket(AF_NETLINK, SOCK_RAW, " + protocol + ")", errno(state));
            }
            MemorySegment addr = arena.allocate(SOCKADDR_NL_SIZE, 4);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            MemorySegment len = arena.allocate(INT);
            int port;
            try {
                check((int) BIND.invokeExact(state, fd, addr, SOCKADDR_NL_SIZE), state, "bind netlink protocol " + protocol);
                len.set(INT, 0, SOCKADDR_NL_SIZE);
                check((int) GETSOCKNAME.invokeExact(state, fd, addr, len), state, "getsockname netlink");
                port = addr.get(INT, 4);
            } catch (RuntimeException e) {
                int ignored = (int) CLOSE.invokeExact(state, fd);
                throw e;
            }
            NetlinkSocket s = new NetlinkSocket(fd, protocol, port, arena, state);
            s.setInt(SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            s.setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            return s;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new KernelException("opening a netlink socket (protocol " + protocol + ") failed: " + t, t);
        }
    }

    /** The port id the kernel gave this socket; replies to our requests carry it in nlmsg_pid. */
    public int portId() {
        return portId;
    }

    public int protocol() {
        return protocol;
    }

    /** Subscribes to a multicast group ({@code NETLINK_ADD_MEMBERSHIP}), e.g. RTNLGRP_LINK. */
    public void joinGroup(int group) {
        setInt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
    }

    /**
     * Lets dump requests carry filters the kernel applies (NETLINK_GET_STRICT_CHK), e.g. one table of
     * {@code ip route show table N}.
     */
    public void strictDumpChecks() {
        setInt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
    }

    /**
     * Sizes the receive buffer: SO_RCVBUFFORCE (root may exceed net.core.rmem_max), else SO_RCVBUF.
     *
     * @return the size the kernel reports afterwards (it doubles the request for bookkeeping)
     */
    public int receiveBufferSize(int bytes) {
        try {
            setInt(SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
        } catch (NetlinkSocketException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            setInt(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
        }
        return getInt(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF");
    }

    /**
     * Sizes the send buffer: SO_SNDBUFFORCE (root may exceed net.core.wmem_max), else SO_SNDBUF. A datagram
     * must fit in it (netlink_sendmsg refuses one longer than the buffer with EMSGSIZE), which matters for
     * nf_tables batches of many set elements.
     *
     * @return the size the kernel reports afterwards (it doubles the request for bookkeeping)
     */
    public int sendBufferSize(int bytes) {
        try {
            setInt(SOL_SOCKET, SO_SNDBUFFORCE, bytes, "SO_SNDBUFFORCE");
        } catch (NetlinkSocketException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            setInt(SOL_SOCKET, SO_SNDBUF, bytes, "SO_SNDBUF");
        }
        return getInt(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF");
    }

    /** {@link #receive} gives up after {@code timeout} and returns -1 (SO_RCVTIMEO). */
    public void receiveTimeout(Duration timeout) {
        MemorySegment tv = scratch.asSlice(0, 16); // struct timeval {long tv_sec; long tv_usec}
        tv.set(LONG, 0, timeout.toSeconds());
        tv.set(LONG, 8, timeout.toNanosPart() / 1000);
        try {
            check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16), state, "setsockopt SO_RCVTIMEO " + timeout);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("setsockopt SO_RCVTIMEO failed: " + t, t);
        }
    }

    /**
     * Sends {@code data[0, length)} to the kernel as one datagram (one or more netlink messages). Datagrams
     * up to {@value #KEPT_SEND_BUFFER} bytes reuse a native buffer kept with the socket; larger ones (a batch
     * of many set elements) get a native copy freed when the call returns, so a one-off multi-megabyte batch
     * does not stay allocated for the socket's life.
     */
    public void send(byte[] data, int length) {
        if (length > KEPT_SEND_BUFFER) {
            try (Arena once = Arena.ofConfined()) {
                MemorySegment big = once.allocate(length, 8);
                MemorySegment.copy(data, 0, big, ValueLayout.JAVA_BYTE, 0, length);
                sendto(big, length);
            }
            return;
        }
        if (send.byteSize() < length) {
            send = arena.allocate(Math.max(length, Math.min(KEPT_SEND_BUFFER, send.byteSize() * 2)), 8);
        }
        MemorySegment.copy(data, 0, send, ValueLayout.JAVA_BYTE, 0, length);
        sendto(send, length);
    }

    private void sendto(MemorySegment from, int length) {
        try {
            while (true) {
                long n = (long) SENDTO.invokeExact(state, fd, from, (long) length, 0, kernelAddress, SOCKADDR_NL_SIZE);
                if (n >= 0) {
                    return;
                }
                int err = errno(state);
                if (err != Errno.EINTR) {
                    throw new NetlinkSocketException("sendto netlink (" + length + " bytes)", err);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("sendto netlink failed: " + t, t);
        }
    }

    public void send(byte[] data) {
        send(data, data.length);
    }

    /**
     * Receives one datagram into {@code into} (at least 64 KiB; a larger array takes larger datagrams),
     * waiting up to the receive timeout.
     *
     * @return its length, or -1 when the receive timeout passed with nothing to read
     * @throws NetlinkSocketException with {@code ENOBUFS} when the kernel dropped messages because the
     *                                receive buffer was full (multicast overrun)
     */
    public int receive(byte[] into) {
        return receive(into, 0);
    }

    /** Like {@link #receive} but returns -1 at once when nothing is queued (MSG_DONTWAIT). */
    public int receiveNow(byte[] into) {
        return receive(into, MSG_DONTWAIT);
    }

    private int receive(byte[] into, int flags) {
        if (into.length < RECEIVE_BUFFER) {
            throw new IllegalArgumentException("receive buffer must hold " + RECEIVE_BUFFER + " bytes, got " + into.length);
        }
        if (receive.byteSize() < into.length) {
            receive = arena.allocate(into.length, 8);
        }
        long capacity = into.length;
        try {
            while (true) {
                long n = (long) RECVFROM.invokeExact(state, fd, receive, capacity, MSG_TRUNC | flags,
                        MemorySegment.NULL, MemorySegment.NULL);
                if (n >= 0) {
                    if (n > capacity) {
                        throw new KernelException("netlink datagram of " + n + " bytes is larger than the "
                                + capacity + "-byte receive buffer; it was truncated and dropped");
                    }
                    MemorySegment.copy(receive, ValueLayout.JAVA_BYTE, 0, into, 0, (int) n);
                    return (int) n;
                }
                int err = errno(state);
                if (err == Errno.EAGAIN) {
                    return -1;
                }
                if (err != Errno.EINTR) {
                    throw new NetlinkSocketException("recvfrom netlink", err);
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("recvfrom netlink failed: " + t, t);
        }
    }

    /** A byte array large enough for {@link #receive}. */
    public static byte[] newReceiveBuffer() {
        return new byte[RECEIVE_BUFFER];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw new KernelException("close netlink socket " + fd + " failed: " + t, t);
        } finally {
            arena.close();
        }
    }

    private void setInt(int level, int option, int value, String what) {
        MemorySegment v = scratch.asSlice(0, 4);
        v.set(INT, 0, value);
        try {
            check((int) SETSOCKOPT.invokeExact(state, fd, level, option, v, 4), state, "setsockopt " + what + " = " + value);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("setsockopt " + what + " failed: " + t, t);
        }
    }

    private int getInt(int level, int option, String what) {
        MemorySegment v = scratch.asSlice(0, 4);
        MemorySegment len = scratch.asSlice(8, 4);
        len.set(INT, 0, 4);
        try {
            check((int) GETSOCKOPT.invokeExact(state, fd, level, option, v, len), state, "getsockopt " + what);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("getsockopt " + what + " failed: " + t, t);
        }
        return v.get(INT, 0);
    }

    private static void check(int rc, MemorySegment state, String what) {
        if (rc < 0) {
            throw new NetlinkSocketException(what, errno(state));
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, ERRNO);
    }
}

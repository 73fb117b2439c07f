package org.mwan4.kernel.nft;

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
 * A {@code NETLINK_NETFILTER} socket through FFM (socket(2), bind(2), setsockopt(2), recv(2)).
 * The socket belongs to the network namespace of the thread that opens it, for its whole life, so open
 * it on the namespace's {@link org.mwan4.kernel.NetnsThread}; afterwards any one thread may read it.
 * Not thread-safe: one reader at a time.
 */
final class NetfilterSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;            // linux/socket.h
    private static final int SOCK_RAW = 3;               // linux/net.h
    private static final int SOCK_CLOEXEC = 0x80000;     // asm-generic/fcntl.h O_CLOEXEC
    private static final int NETLINK_NETFILTER = 12;     // linux/netlink.h
    private static final int SOL_SOCKET = 1;             // asm-generic/socket.h
    private static final int SO_RCVBUF = 8;              // asm-generic/socket.h
    private static final int SO_RCVBUFFORCE = 33;        // asm-generic/socket.h (needs CAP_NET_ADMIN)
    private static final int SO_RCVTIMEO = 20;           // asm-generic/socket.h SO_RCVTIMEO_OLD, 64-bit time_t
    private static final int SOL_NETLINK = 270;          // linux/socket.h
    private static final int NETLINK_ADD_MEMBERSHIP = 1; // linux/netlink.h
    private static final int SOCKADDR_NL_SIZE = 12;      // struct sockaddr_nl, linux/netlink.h
    private static final int TIMEVAL_SIZE = 16;          // struct timeval {long tv_sec; long tv_usec;}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = downcall("recv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** {@link #receive} result: the receive timeout expired (EAGAIN). */
    static final long TIMED_OUT = -Errno.EAGAIN;
    /** {@link #receive} result: the kernel dropped messages because our buffer was full (ENOBUFS). */
    static final long OVERRUN = -Errno.ENOBUFS;

    private final int fd;
    private boolean closed;

    private NetfilterSocket(int fd) {
        this.fd = fd;
    }

    /** {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER)} bound to a kernel-chosen port id. */
    static NetfilterSocket open() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
            if (fd < 0) {
                throw new KernelException("socket(AF_NETLINK, NETLINK_NETFILTER): " + errno(state)
                        + "; nftables netlink is not available here");
            }
            NetfilterSocket s = new NetfilterSocket(fd);
            MemorySegment addr = arena.allocate(SOCKADDR_NL_SIZE, 4);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK); // nl_family; nl_pid 0 = kernel assigns, nl_groups 0
            int rc = (int) BIND.invokeExact(state, fd, addr, SOCKADDR_NL_SIZE);
            if (rc != 0) {
                String e = errno(state);
                s.close();
                throw new KernelException("bind NETLINK_NETFILTER socket: " + e);
            }
            return s;
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("opening a NETLINK_NETFILTER socket failed: " + t, t);
        }
    }

    /** Subscribes to a multicast group, e.g. NFNLGRP_NFTABLES (setsockopt NETLINK_ADD_MEMBERSHIP). */
    void join(int group) {
        setInt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
    }

    /** Sizes the receive buffer; tries SO_RCVBUFFORCE (root may exceed rmem_max) before SO_RCVBUF. */
    void receiveBuffer(int bytes) {
        try {
            setInt(SOL_SOCKET, SO_RCVBUFFORCE, bytes, "SO_RCVBUFFORCE");
        } catch (KernelException e) {
            setInt(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
        }
    }

    /** A blocking {@link #receive} returns {@link #TIMED_OUT} after this long (SO_RCVTIMEO). */
    void receiveTimeout(Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(TIMEVAL_SIZE, 8);
            tv.set(ValueLayout.JAVA_LONG, 0, timeout.toSeconds());
            tv.set(ValueLayout.JAVA_LONG, 8, timeout.toNanosPart() / 1000L);
            setsockopt(arena, SOL_SOCKET, SO_RCVTIMEO, tv, "SO_RCVTIMEO");
        }
    }

    /**
     * One datagram into {@code buffer}: its length, or {@link #TIMED_OUT} / {@link #OVERRUN}.
     *
     * @throws KernelException on any other error
     */
    long receive(MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long n = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
                if (n >= 0) {
                    return n;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
                    return -errno;
                }
                throw new KernelException("recv on NETLINK_NETFILTER socket: " + Errno.describe(errno));
            }
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("recv on NETLINK_NETFILTER socket failed: " + t, t);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new KernelException("close netlink socket " + fd + ": " + t, t);
        }
    }

    private void setInt(int level, int option, int value, String what) {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(arena, level, option, arena.allocateFrom(ValueLayout.JAVA_INT, value), what);
        }
    }

    private void setsockopt(Arena arena, int level, int option, MemorySegment value, String what) {
        try {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize());
            if (rc != 0) {
                throw new KernelException("setsockopt " + what + " on NETLINK_NETFILTER socket: " + errno(state));
            }
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("setsockopt " + what + " failed: " + t, t);
        }
    }

    private static String errno(MemorySegment state) {
        return Errno.describe((int) ERRNO.get(state, 0L));
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }
}

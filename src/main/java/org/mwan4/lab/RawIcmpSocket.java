package org.mwan4.lab;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;

/**
 * A raw ICMP (IPv4) or ICMPv6 socket through FFM, for the lab's echo responder and pinger. Root only.
 * The socket belongs to the network namespace of the thread that {@link #open}s it. One thread may send while
 * another receives, but {@link #close} only after both stopped (closing an fd another thread still uses would let
 * the number be reused under it).
 */
@SuppressWarnings("restricted") // FFM downcalls; the launcher and surefire run with --enable-native-access=ALL-UNNAMED
final class RawIcmpSocket implements AutoCloseable {
    private static final int AF_INET = 2;            // linux/socket.h
    private static final int AF_INET6 = 10;          // linux/socket.h
    private static final int SOCK_RAW = 3;           // linux/net.h
    private static final int SOCK_CLOEXEC = 0x80000; // asm-generic/fcntl.h O_CLOEXEC
    private static final int IPPROTO_ICMP = 1;       // linux/in.h
    private static final int IPPROTO_ICMPV6 = 58;    // linux/in6.h
    private static final int SOL_SOCKET = 1;         // asm-generic/socket.h
    private static final int SO_BINDTODEVICE = 25;   // asm-generic/socket.h
    private static final int SO_MARK = 36;           // asm-generic/socket.h
    private static final int SO_RCVTIMEO = 20;       // asm-generic/socket.h SO_RCVTIMEO_OLD (64-bit time_t)
    private static final int SOCKADDR_IN = 16;       // struct sockaddr_in, linux/in.h
    private static final int SOCKADDR_IN6 = 28;      // struct sockaddr_in6, linux/in6.h

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = handle("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = handle("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Family family;
    private final int fd;
    private boolean closed;

    private RawIcmpSocket(Family family, int fd) {
        this.family = family;
        this.fd = fd;
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, ERRNO_OPT);
    }

    /** Equals {@code socket(AF_INET[6], SOCK_RAW, IPPROTO_ICMP[V6])} in the calling thread's namespace. */
    static RawIcmpSocket open(Family family) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(CAPTURE);
            int fd = family == Family.IPV4
                    ? (int) SOCKET.invokeExact(st, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP)
                    : (int) SOCKET.invokeExact(st, AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
            if (fd < 0) {
                throw new LabException("cannot open a raw " + family.id() + " ICMP socket: " + errno(st)
                        + " (needs root / CAP_NET_RAW)");
            }
            return new RawIcmpSocket(family, fd);
        } catch (LabException e) {
            throw e;
        } catch (Throwable t) {
            throw new LabException("socket(raw " + family.id() + " ICMP) failed: " + t, t);
        }
    }

    Family family() {
        return family;
    }

    /** Equals {@code bind()}: sends use this source address, and only packets to it are received. */
    void bind(IpAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr(arena, address);
            MemorySegment st = arena.allocate(CAPTURE);
            check((int) BIND.invokeExact(st, fd, sa, (int) sa.byteSize()), st, "bind to " + address);
        } catch (LabException e) {
            throw e;
        } catch (Throwable t) {
            throw new LabException("bind to " + address + " failed: " + t, t);
        }
    }

    /** Equals {@code setsockopt(SO_BINDTODEVICE, dev)}: like {@code ping -I dev}. */
    void bindToDevice(String device) {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(arena, SO_BINDTODEVICE, arena.allocateFrom(device), "SO_BINDTODEVICE " + device);
        }
    }

    /** Equals {@code setsockopt(SO_MARK, mark)}: the packets carry this fwmark (nft {@code meta mark}). */
    void mark(int mark) {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(arena, SO_MARK, arena.allocateFrom(ValueLayout.JAVA_INT, mark), "SO_MARK " + mark);
        }
    }

    /** Equals {@code setsockopt(SO_RCVTIMEO, {sec, usec})}: {@link #receive} returns empty after this long. */
    void receiveTimeout(Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(16); // struct timeval: long tv_sec, long tv_usec (x86_64, aarch64)
            tv.set(ValueLayout.JAVA_LONG, 0, timeout.toSeconds());
            tv.set(ValueLayout.JAVA_LONG, 8, Math.max(1, timeout.toMillisPart() * 1000L));
            setsockopt(arena, SO_RCVTIMEO, tv, "SO_RCVTIMEO " + timeout.toMillis() + " ms");
        }
    }

    private void setsockopt(Arena arena, int option, MemorySegment value, String what) {
        try {
            MemorySegment st = arena.allocate(CAPTURE);
            check((int) SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, option, value, (int) value.byteSize()), st, what);
        } catch (LabException e) {
            throw e;
        } catch (Throwable t) {
            throw new LabException(what + " failed: " + t, t);
        }
    }

    /** Equals {@code sendto(fd, icmp, to)}; ICMP message only, the kernel adds the IP header. */
    void send(IpAddress to, byte[] icmp) {
        if (to.family() != family) {
            throw new IllegalArgumentException("cannot send to " + to + " on a " + family.id() + " socket");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = sockaddr(arena, to);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, icmp);
            MemorySegment st = arena.allocate(CAPTURE);
            long n = (long) SENDTO.invokeExact(st, fd, buf, (long) icmp.length, 0, sa, (int) sa.byteSize());
            if (n < 0) {
                throw new LabException("sendto " + to + " (" + icmp.length + " bytes ICMP) failed: " + errno(st));
            }
        } catch (LabException e) {
            throw e;
        } catch (Throwable t) {
            throw new LabException("sendto " + to + " failed: " + t, t);
        }
    }

    /** One received packet: the sender and the bytes (IPv4: with IP header; IPv6: ICMPv6 only). */
    record Received(IpAddress from, byte[] data) {}

    /** Equals {@code recvfrom()}; empty when the receive timeout passes first (EAGAIN) or a signal interrupts. */
    Optional<Received> receive() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2048);
            MemorySegment sa = arena.allocate(SOCKADDR_IN6);
            MemorySegment salen = arena.allocateFrom(ValueLayout.JAVA_INT, SOCKADDR_IN6);
            MemorySegment st = arena.allocate(CAPTURE);
            long n = (long) RECVFROM.invokeExact(st, fd, buf, buf.byteSize(), 0, sa, salen);
            if (n < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == Errno.EAGAIN || e == Errno.EINTR) {
                    return Optional.empty();
                }
                throw new LabException("recvfrom on raw " + family.id() + " ICMP socket failed: " + Errno.describe(e));
            }
            byte[] data = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            return Optional.of(new Received(address(sa), data));
        } catch (LabException e) {
            throw e;
        } catch (Throwable t) {
            throw new LabException("recvfrom failed: " + t, t);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // nothing left to do with a descriptor that will not close
            }
        }
    }

    /** struct sockaddr_in / sockaddr_in6 with port 0 (raw sockets have none). */
    private static MemorySegment sockaddr(Arena arena, IpAddress a) {
        byte[] bytes = a.bytes();
        if (a.family() == Family.IPV4) {
            MemorySegment sa = arena.allocate(SOCKADDR_IN);
            sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, 4, 4); // sin_addr at offset 4
            return sa;
        }
        MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        MemorySegment.copy(bytes, 0, sa, ValueLayout.JAVA_BYTE, 8, 16); // sin6_addr at offset 8
        return sa;
    }

    private static IpAddress address(MemorySegment sa) {
        short fam = sa.get(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder()), 0);
        byte[] raw = sa.toArray(ValueLayout.JAVA_BYTE);
        return fam == AF_INET ? IpAddress.of(Arrays.copyOfRange(raw, 4, 8)) : IpAddress.of(Arrays.copyOfRange(raw, 8, 24));
    }

    private static void check(int rc, MemorySegment st, String what) {
        if (rc != 0) {
            throw new LabException(what + " failed: " + errno(st));
        }
    }

    private static String errno(MemorySegment st) {
        return Errno.describe((int) ERRNO.get(st, 0L));
    }
}

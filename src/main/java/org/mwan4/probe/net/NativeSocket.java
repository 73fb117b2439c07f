package org.mwan4.probe.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;

/**
 * One non-blocking socket file descriptor, opened and used on one thread (the probe loop), with its
 * own small native scratch memory for addresses and options. Setup calls throw {@link KernelException}
 * with what failed; data calls return {@code -errno} so the loop can handle EAGAIN without exceptions.
 */
public final class NativeSocket implements AutoCloseable {
    private static final int ADDR_MAX = 128; // >= sizeof(struct sockaddr_storage)
    private static final int MSGHDR_BYTES = 56; // sizeof(struct msghdr) on x86_64
    private static final int CONTROL_BYTES = 128;

    private final Libc libc;
    private final Arena arena;
    private final int fd;
    private final String what;
    private final MemorySegment addr;
    private final MemorySegment addrLen;
    private final MemorySegment opt;
    private boolean closed;
    private MemorySegment msg;
    private MemorySegment iov;
    private MemorySegment control;
    private long stamp = -1;

    private NativeSocket(Libc libc, Arena arena, int fd, String what) {
        this.libc = libc;
        this.arena = arena;
        this.fd = fd;
        this.what = what;
        this.addr = arena.allocate(ADDR_MAX, 8);
        this.addrLen = arena.allocate(JAVA_INT);
        this.opt = arena.allocate(64, 8);
    }

    /**
     * {@code socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)}.
     *
     * @param what names the socket in error messages, e.g. {@code "ICMP socket of wan/ipv4"}
     */
    public static NativeSocket open(Libc libc, int domain, int type, int protocol, String what) {
        int fd = libc.socket(domain, type | LinuxAbi.SOCK_NONBLOCK | LinuxAbi.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new KernelException("socket(" + domain + ", " + type + ", " + protocol + ") for " + what + ": " + Errno.describe(-fd));
        }
        return new NativeSocket(libc, Arena.ofConfined(), fd, what);
    }

    /**
     * A probe socket that can only leave through one WAN, as mwan3's LD_PRELOAD wrapper made {@code ping}:
     * SO_MARK {@code mark} (so mwan4's own nft rules leave it alone), SO_BINDTODEVICE {@code device}
     * (routing may only pick routes through that device), and bound to {@code local} when given.
     * Equals {@code ping -I <device> -m <mark>} with the source address set to {@code local}.
     * The socket is closed again when any step fails.
     */
    public static NativeSocket openBound(Libc libc, int domain, int type, int protocol,
                                         String device, SockAddr local, int mark, String what) {
        NativeSocket s = open(libc, domain, type, protocol, what);
        try {
            if (mark != 0) {
                s.setInt(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_MARK, mark, "SO_MARK");
            }
            if (device != null) {
                s.bindToDevice(device);
            }
            if (local != null) {
                s.bind(local);
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    public String what() {
        return what;
    }

    /** {@code setsockopt(fd, level, name, &int, 4)}. */
    public void setInt(int level, int name, int value, String optionName) {
        opt.set(JAVA_INT, 0, value);
        int r = libc.setsockopt(fd, level, name, opt, 4);
        if (r < 0) {
            throw new KernelException("setsockopt " + optionName + "=" + value + " on " + what + ": " + Errno.describe(-r));
        }
    }

    /** {@code setsockopt} with a raw value (filters, linger, device names). */
    public void setBytes(int level, int name, byte[] value, String optionName) {
        MemorySegment.copy(value, 0, opt, JAVA_BYTE, 0, value.length);
        int r = libc.setsockopt(fd, level, name, opt, value.length);
        if (r < 0) {
            throw new KernelException("setsockopt " + optionName + " on " + what + ": " + Errno.describe(-r));
        }
    }

    /** {@code setsockopt} with a value that holds a pointer (SO_ATTACH_FILTER's struct sock_fprog). */
    public void setSegment(int level, int name, MemorySegment value, String optionName) {
        int r = libc.setsockopt(fd, level, name, value, (int) value.byteSize());
        if (r < 0) {
            throw new KernelException("setsockopt " + optionName + " on " + what + ": " + Errno.describe(-r));
        }
    }

    /** SO_BINDTODEVICE: the socket sends and receives only through {@code device} (like {@code ping -I dev}). */
    public void bindToDevice(String device) {
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= 16) { // IFNAMSIZ, linux/if.h
            throw new KernelException("device name too long for SO_BINDTODEVICE: " + device);
        }
        byte[] z = new byte[name.length + 1];
        System.arraycopy(name, 0, z, 0, name.length);
        setBytes(LinuxAbi.SOL_SOCKET, LinuxAbi.SO_BINDTODEVICE, z, "SO_BINDTODEVICE " + device);
    }

    /** bind(2) to a local address (source of every packet, and the only destination the socket receives for). */
    public void bind(SockAddr local) {
        int len = put(local);
        int r = libc.bind(fd, addr, len);
        if (r < 0) {
            throw new KernelException("bind " + local + " on " + what + ": " + Errno.describe(-r));
        }
    }

    /** connect(2); returns 0, or {@code -errno} (a non-blocking TCP socket answers -EINPROGRESS). */
    public int connect(SockAddr remote) {
        int len = put(remote);
        return libc.connect(fd, addr, len);
    }

    /** sendto(2) to a pre-encoded address; {@code -errno} on failure. */
    public long sendTo(MemorySegment buf, long length, MemorySegment to, int toLength) {
        return libc.sendto(fd, buf, length, LinuxAbi.MSG_DONTWAIT | LinuxAbi.MSG_NOSIGNAL, to, toLength);
    }

    /** send(2) on a connected socket. */
    public long send(MemorySegment buf, long length) {
        return libc.sendto(fd, buf, length, LinuxAbi.MSG_DONTWAIT | LinuxAbi.MSG_NOSIGNAL, MemorySegment.NULL, 0);
    }

    /** recvfrom(2); the sender is then {@link #lastSource()}. {@code -errno} on failure, -EAGAIN when drained. */
    public long receive(MemorySegment buf, long length) {
        addrLen.set(JAVA_INT, 0, ADDR_MAX);
        return libc.recvfrom(fd, buf, length, LinuxAbi.MSG_DONTWAIT, addr, addrLen);
    }

    /**
     * recvmsg(2) that also reads the kernel's receive timestamp (SO_TIMESTAMPNS must be on); the sender is then
     * {@link #lastSource()} and the stamp {@link #lastStampNanos()}. {@code -errno} on failure.
     */
    public long receiveStamped(MemorySegment buf, long length) {
        if (msg == null) {
            msg = arena.allocate(MSGHDR_BYTES, 8);
            iov = arena.allocate(16, 8);
            control = arena.allocate(CONTROL_BYTES, 8);
        }
        // struct iovec { void *iov_base; size_t iov_len; }
        iov.set(ADDRESS, 0, buf);
        iov.set(JAVA_LONG, 8, length);
        // struct msghdr (bits/socket.h): name, namelen, iov, iovlen, control, controllen, flags
        msg.set(ADDRESS, 0, addr);
        msg.set(JAVA_INT, 8, ADDR_MAX);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, CONTROL_BYTES);
        msg.set(JAVA_INT, 48, 0);
        long n = libc.recvmsg(fd, msg, LinuxAbi.MSG_DONTWAIT);
        stamp = -1;
        if (n >= 0) {
            addrLen.set(JAVA_INT, 0, msg.get(JAVA_INT, 8));
            long controlLen = msg.get(JAVA_LONG, 40);
            // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; data, 8-aligned }
            for (long off = 0; off + 16 <= controlLen; ) {
                long len = control.get(JAVA_LONG, off);
                if (len < 16) {
                    break;
                }
                if (control.get(JAVA_INT, off + 8) == LinuxAbi.SOL_SOCKET && control.get(JAVA_INT, off + 12) == LinuxAbi.SCM_TIMESTAMPNS
                        && off + 32 <= controlLen) {
                    stamp = control.get(JAVA_LONG, off + 16) * 1_000_000_000L + control.get(JAVA_LONG, off + 24); // struct timespec
                }
                off += (len + 7) & ~7L;
            }
        }
        return n;
    }

    /** CLOCK_REALTIME receive time of what {@link #receiveStamped} returned last, in ns; -1 when the kernel gave none. */
    public long lastStampNanos() {
        return stamp;
    }

    /** clock_gettime(CLOCK_REALTIME) in ns, the clock the kernel stamps received packets with. */
    public long realtimeNanos() {
        int r = libc.clockGettime(LinuxAbi.CLOCK_REALTIME, opt);
        return r < 0 ? -1 : opt.get(JAVA_LONG, 0) * 1_000_000_000L + opt.get(JAVA_LONG, 8);
    }

    /** Who sent what {@link #receive} returned last. */
    public Optional<SockAddr> lastSource() {
        int len = Math.min(addrLen.get(JAVA_INT, 0), ADDR_MAX);
        return SockAddr.decode(addr.asSlice(0, len).toArray(JAVA_BYTE), len);
    }

    /** getsockopt SO_ERROR: the pending error of a non-blocking connect (0: connected), cleared by reading it. */
    public int pendingError() {
        addrLen.set(JAVA_INT, 0, 4);
        int r = libc.getsockopt(fd, LinuxAbi.SOL_SOCKET, LinuxAbi.SO_ERROR, opt, addrLen);
        return r < 0 ? -r : opt.get(JAVA_INT, 0);
    }

    /** ioctl(2) on this socket with a caller-filled argument. */
    public int ioctl(long request, MemorySegment arg) {
        return libc.ioctl(fd, request, arg);
    }

    /** Memory that lives as long as this socket (for pre-encoded addresses and packets). */
    public MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 8);
    }

    private int put(SockAddr a) {
        byte[] b = a.encode();
        MemorySegment.copy(b, 0, addr, JAVA_BYTE, 0, b.length);
        return b.length;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return what + " (fd " + fd + ")";
    }
}

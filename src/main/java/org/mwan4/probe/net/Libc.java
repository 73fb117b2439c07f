package org.mwan4.probe.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls of the probe engine, through FFM. Every call returns the kernel's convention:
 * a non-negative result, or {@code -errno} (captured with {@code captureCallState("errno")}), so the
 * hot path never builds exceptions for {@code EAGAIN}.
 *
 * <p>One instance per thread: it owns the errno capture segment, which must not be shared between
 * threads. The probe loop owns one; the method handles themselves are immutable constants.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = capturing("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = capturing("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = capturing("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = capturing("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = capturing("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVMSG = capturing("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOCK_GETTIME = capturing("clock_gettime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle READ = capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // int ioctl(int fd, unsigned long request, ...): the pointer is the first variadic argument
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle EPOLL_CREATE1 = capturing("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = capturing("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = capturing("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = capturing("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = capturing("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private final MemorySegment state;

    /** @param arena where the errno capture lives; must outlive this instance */
    public Libc(Arena arena) {
        this.state = arena.allocate(CAPTURE);
    }

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    private int check(int r) {
        return r < 0 ? -errno() : r;
    }

    private long check(long r) {
        return r < 0 ? -errno() : r;
    }

    private static RuntimeException linkage(Throwable t) {
        return new IllegalStateException("FFM downcall failed: " + t, t);
    }

    /** socket(2). */
    public int socket(int domain, int type, int protocol) {
        try {
            return check((int) SOCKET.invokeExact(state, domain, type, protocol));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** setsockopt(2). */
    public int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        try {
            return check((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** getsockopt(2); {@code length} is a 4-byte in/out socklen_t. */
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return check((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** bind(2). */
    public int bind(int fd, MemorySegment addr, int length) {
        try {
            return check((int) BIND.invokeExact(state, fd, addr, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** connect(2); a non-blocking socket answers {@code -EINPROGRESS}. */
    public int connect(int fd, MemorySegment addr, int length) {
        try {
            return check((int) CONNECT.invokeExact(state, fd, addr, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** sendto(2); {@code addr} may be {@link MemorySegment#NULL} with length 0 on a connected socket. */
    public long sendto(int fd, MemorySegment buf, long length, int flags, MemorySegment addr, int addrLength) {
        try {
            return check((long) SENDTO.invokeExact(state, fd, buf, length, flags, addr, addrLength));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** recvfrom(2); {@code addr}/{@code addrLength} may be {@link MemorySegment#NULL}. */
    public long recvfrom(int fd, MemorySegment buf, long length, int flags, MemorySegment addr, MemorySegment addrLength) {
        try {
            return check((long) RECVFROM.invokeExact(state, fd, buf, length, flags, addr, addrLength));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** recvmsg(2) with a caller-built struct msghdr. */
    public long recvmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return check((long) RECVMSG.invokeExact(state, fd, msghdr, flags));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** clock_gettime(2) into a caller's struct timespec; 0 or -errno. */
    public int clockGettime(int clock, MemorySegment timespec) {
        try {
            return check((int) CLOCK_GETTIME.invokeExact(state, clock, timespec));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** read(2). */
    public long read(int fd, MemorySegment buf, long length) {
        try {
            return check((long) READ.invokeExact(state, fd, buf, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** write(2). */
    public long write(int fd, MemorySegment buf, long length) {
        try {
            return check((long) WRITE.invokeExact(state, fd, buf, length));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** close(2). */
    public int close(int fd) {
        try {
            return check((int) CLOSE.invokeExact(state, fd));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** ioctl(2) with a pointer argument (struct ifreq for the SIOCGIF* requests). */
    public int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return check((int) IOCTL.invokeExact(state, fd, request, arg));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** epoll_create1(2). */
    public int epollCreate1(int flags) {
        try {
            return check((int) EPOLL_CREATE1.invokeExact(state, flags));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** epoll_ctl(2); {@code event} is one packed struct epoll_event (or NULL for EPOLL_CTL_DEL). */
    public int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return check((int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** epoll_wait(2). */
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            return check((int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMs));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** eventfd(2). */
    public int eventfd(int initval, int flags) {
        try {
            return check((int) EVENTFD.invokeExact(state, initval, flags));
        } catch (Throwable t) {
            throw linkage(t);
        }
    }

    /** if_nametoindex(3) in the calling thread's network namespace; 0 (and errno) when there is no such device. */
    public int ifNameToIndex(MemorySegment name) {
        try {
            int r = (int) IF_NAMETOINDEX.invokeExact(state, name);
            return r == 0 ? -errno() : r;
        } catch (Throwable t) {
            throw linkage(t);
        }
    }
}

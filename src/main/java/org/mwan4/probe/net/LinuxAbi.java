package org.mwan4.probe.net;

/** Numbers of the Linux socket ABI the probes use (x86_64 / generic values), each with its header. */
public final class LinuxAbi {
    private LinuxAbi() {}

    // bits/socket.h, linux/socket.h
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_PACKET = 17;

    // bits/socket_type.h
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;   // 00004000
    public static final int SOCK_CLOEXEC = 0x80000;  // 02000000

    // linux/in.h, linux/in6.h
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IP_TTL = 2;              // linux/in.h
    public static final int IPV6_UNICAST_HOPS = 16;  // linux/in6.h

    // asm-generic/socket.h
    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int SO_RCVBUF = 8;
    public static final int SO_LINGER = 13;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_RCVBUFFORCE = 33; // beyond net.core.rmem_max, needs CAP_NET_ADMIN
    public static final int SO_TIMESTAMPNS = 35; // SO_TIMESTAMPNS_OLD: struct timespec with 64-bit time_t on x86_64
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    public static final int SO_MARK = 36;

    // linux/time.h
    public static final int CLOCK_REALTIME = 0;

    // bits/socket.h: SOL_RAW; linux/icmp.h: ICMP_FILTER (level SOL_RAW); linux/icmpv6.h: ICMPV6_FILTER (level IPPROTO_ICMPV6)
    public static final int SOL_RAW = 255;
    public static final int ICMP_FILTER = 1;
    public static final int ICMPV6_FILTER = 1;

    // bits/socket.h
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    // linux/if_ether.h
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    // linux/if_arp.h
    public static final int ARPHRD_ETHER = 1;

    // linux/sockios.h
    public static final long SIOCGIFADDR = 0x8915;
    public static final long SIOCGIFHWADDR = 0x8927;

    // linux/eventpoll.h
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;

    // bits/eventfd.h
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // asm-generic/errno-base.h, asm-generic/errno.h
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ECONNREFUSED = 111;
    public static final int EINPROGRESS = 115;

    /** htons(3): {@code v} in network (big-endian) order, as the kernel reads a 16-bit field from memory. */
    public static short htons(int v) {
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes((short) v) : (short) v;
    }

    /**
     * struct epoll_event is {@code __attribute__((packed))} on x86_64 only (bits/epoll.h): 12 bytes with the
     * 64-bit data at offset 4; elsewhere (aarch64, ...) it is 16 bytes with the data at offset 8.
     */
    public static final boolean EPOLL_PACKED = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
}

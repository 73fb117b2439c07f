package org.mwan4.kernel.conntrack;

import org.mwan4.config.IpAddress;

/**
 * A conntrack tuple (CTA_TUPLE_ORIG / CTA_TUPLE_REPLY, linux/netfilter/nfnetlink_conntrack.h):
 * addresses, layer-4 protocol number and its identifying fields.
 *
 * @param srcPort  CTA_PROTO_SRC_PORT for port protocols (tcp, udp, udplite, sctp, dccp, gre keys), else 0
 * @param dstPort  CTA_PROTO_DST_PORT, else 0
 * @param icmpId   CTA_PROTO_ICMP(V6)_ID for icmp / ipv6-icmp, else 0
 * @param icmpType CTA_PROTO_ICMP(V6)_TYPE, else 0
 * @param icmpCode CTA_PROTO_ICMP(V6)_CODE, else 0
 */
public record CtTuple(IpAddress src, IpAddress dst, int protocol, int srcPort, int dstPort, int icmpId, int icmpType, int icmpCode) {
    static final int IPPROTO_ICMP = 1; // netinet/in.h
    static final int IPPROTO_ICMPV6 = 58; // netinet/in.h

    public static CtTuple ports(IpAddress src, IpAddress dst, int protocol, int srcPort, int dstPort) {
        return new CtTuple(src, dst, protocol, srcPort, dstPort, 0, 0, 0);
    }

    public static CtTuple icmp(IpAddress src, IpAddress dst, int protocol, int id, int type, int code) {
        return new CtTuple(src, dst, protocol, 0, 0, id, type, code);
    }

    /** Whether the kernel identifies this protocol by ports (nf_conntrack_proto_*: tcp, udp, dccp, sctp, udplite, gre). */
    boolean hasPorts() {
        return switch (protocol) {
            case 6, 17, 33, 47, 132, 136 -> true; // IPPROTO_TCP, UDP, DCCP, GRE, SCTP, UDPLITE; netinet/in.h
            default -> false;
        };
    }

    boolean isIcmp() {
        return protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6;
    }

    @Override
    public String toString() {
        String l4 = hasPorts() ? " sport=" + srcPort + " dport=" + dstPort
                : isIcmp() ? " type=" + icmpType + " code=" + icmpCode + " id=" + icmpId : "";
        return "proto " + protocol + " src=" + src + " dst=" + dst + l4;
    }
}

package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import org.mwan4.config.IpAddress;

/**
 * RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR body: {@code struct ifaddrmsg} plus attributes.
 * For point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL our own address; elsewhere both are equal.
 *
 * @param address IFA_ADDRESS, or null
 * @param local   IFA_LOCAL, or null (IPv6 usually sends only IFA_ADDRESS)
 * @param label   IFA_LABEL, or null
 */
public record AddressMessage(int family, int prefixlen, int flags, int scope, int index,
                             IpAddress address, IpAddress local, String label) implements NlPayload {

    public static final int RTM_NEWADDR = 20; // linux/rtnetlink.h
    public static final int RTM_DELADDR = 21; // linux/rtnetlink.h
    public static final int RTM_GETADDR = 22; // linux/rtnetlink.h

    /** sizeof(struct ifaddrmsg), linux/if_addr.h. */
    static final int SIZE = 8;

    public static final int IFA_ADDRESS = 1; // linux/if_addr.h
    public static final int IFA_LOCAL = 2; // linux/if_addr.h
    public static final int IFA_LABEL = 3; // linux/if_addr.h

    /** The interface's own address: IFA_LOCAL when present (what {@code ip addr} prints), else IFA_ADDRESS. */
    public IpAddress own() {
        return local != null ? local : address;
    }

    void encode(NlWriter w) {
        w.u8(family).u8(prefixlen).u8(flags).u8(scope).u32(index);
        if (address != null) {
            w.attrAddress(IFA_ADDRESS, address);
        }
        if (local != null) {
            w.attrAddress(IFA_LOCAL, local);
        }
        if (label != null) {
            w.attrString(IFA_LABEL, label);
        }
    }

    static NlPayload decode(ByteBuffer b, int from, int to) {
        if (to - from < SIZE) {
            return new NlPayload.Malformed("ifaddrmsg needs " + SIZE + " bytes, got " + (to - from));
        }
        IpAddress address = null;
        IpAddress local = null;
        String label = null;
        for (NlAttrs a = new NlAttrs(b, from + SIZE, to); a.next(); ) {
            switch (a.type()) {
                case IFA_ADDRESS -> address = a.address();
                case IFA_LOCAL -> local = a.address();
                case IFA_LABEL -> label = a.string();
                default -> { } // cache info, flags: not used
            }
        }
        return new AddressMessage(Byte.toUnsignedInt(b.get(from)), Byte.toUnsignedInt(b.get(from + 1)),
                Byte.toUnsignedInt(b.get(from + 2)), Byte.toUnsignedInt(b.get(from + 3)), b.getInt(from + 4),
                address, local, label);
    }
}

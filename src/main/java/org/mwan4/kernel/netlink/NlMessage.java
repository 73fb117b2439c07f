package org.mwan4.kernel.netlink;

/** One netlink message: its header and its typed payload. */
public record NlMessage(NlHeader header, NlPayload payload) {

    public int type() {
        return header.type();
    }

    public int seq() {
        return header.seq();
    }
}

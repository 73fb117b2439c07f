package org.mwan4.kernel.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/** The body of a netlink message. Kinds the rtnetlink codec does not know stay {@link Raw} bytes. */
public sealed interface NlPayload
        permits NlPayload.Done, NlPayload.Error, NlPayload.Raw, NlPayload.Malformed,
                LinkMessage, AddressMessage, RouteMessage, RuleMessage {

    /** NLMSG_DONE: the end of a multipart dump; {@code error} is 0 or a negative errno. */
    record Done(int error) implements NlPayload {}

    /**
     * NLMSG_ERROR ({@code struct nlmsgerr}): an ACK when {@code error} is 0, else {@code -errno}.
     * {@code request} is the header of the message it answers (its seq tells which);
     * {@code extAck} is the kernel's text (NLMSGERR_ATTR_MSG with NETLINK_EXT_ACK), or null.
     */
    record Error(int error, NlHeader request, String extAck) implements NlPayload {
        public boolean isAck() {
            return error == 0;
        }

        public int errno() {
            return -error;
        }
    }

    /** A payload this codec does not interpret (e.g. nfnetlink bodies, which their own codec reads). */
    record Raw(byte[] bytes) implements NlPayload {
        public Raw {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Raw[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /**
     * Bytes that do not parse (a truncated header, a body shorter than its struct). Decoding stops at a
     * broken frame, so a receiver treats this as "something may have been lost" and re-reads the state.
     */
    record Malformed(String reason) implements NlPayload {}
}

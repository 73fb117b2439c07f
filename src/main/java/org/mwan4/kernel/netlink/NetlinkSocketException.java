package org.mwan4.kernel.netlink;

import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;

/** A socket call on a netlink socket failed with {@link #errno()}; the message names the call and its input. */
public class NetlinkSocketException extends KernelException {
    private final int errno;

    public NetlinkSocketException(String what, int errno) {
        super(what + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}

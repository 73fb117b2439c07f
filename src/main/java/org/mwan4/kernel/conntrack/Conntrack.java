package org.mwan4.kernel.conntrack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mwan4.config.Family;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NetlinkChannel;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.mwan4.kernel.netlink.NlCodec;
import org.mwan4.kernel.netlink.NlMessage;
import org.mwan4.kernel.netlink.NlPayload;

/**
 * The connection tracking table of one namespace through ctnetlink (NETLINK_NETFILTER,
 * NFNL_SUBSYS_CTNETLINK). It only ever deletes entries by their exact tuple and id; there is no call
 * that flushes the whole table.
 */
public final class Conntrack implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int RECEIVE_BUFFER = 4 << 20;

    private final NetlinkChannel channel;

    private Conntrack(NetlinkChannel channel) {
        this.channel = channel;
    }

    /** Opens a ctnetlink socket inside {@code netns}. */
    public static Conntrack open(NetnsThread netns) {
        NetlinkSocket s = netns.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER));
        try {
            s.receiveBufferSize(RECEIVE_BUFFER);
            return new Conntrack(new NetlinkChannel(s, NlCodec.Dialect.RAW, TIMEOUT));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The entries of {@code family} the kernel returns for a dump filtered by mark:
     * {@code conntrack -L -f ipv4 --mark MARK/MASK} (the kernel keeps those with {@code ct mark & mask == mark}).
     */
    public synchronized List<ConntrackEntry> listMarked(Family family, int mark, int mask) {
        List<ConntrackEntry> out = new ArrayList<>();
        String what = "conntrack -L -f " + family.id() + " --mark " + markText(mark, mask);
        for (NlMessage m : channel.dump(CtnlCodec.dumpMarked(channel.nextSeq(), family, mark, mask), what)) {
            CtnlCodec.entry(m).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Deletes the entries of {@code family} whose {@code ct mark & mask == mark}:
     * {@code conntrack -D -f ipv4 --mark MARK/MASK}. A filtered dump finds them, then each is deleted by
     * tuple and id (so the count is exact and a new connection reusing a tuple is left alone). Every
     * entry is checked against the mark here too, so a kernel that ignored the filter still loses only
     * marked entries. Entries that vanish in between (timeouts) are not counted.
     *
     * @return how many entries were deleted
     * @throws IllegalArgumentException for a zero mask or mark, or a mark with bits outside the mask:
     *                                  those would match all (or no) connections
     * @throws KernelException          when some deletes were refused; the message says how many went through
     */
    public synchronized int deleteMarked(Family family, int mark, int mask) {
        if (mask == 0 || mark == 0 || (mark & ~mask) != 0) {
            throw new IllegalArgumentException("refusing conntrack flush with mark " + markText(mark, mask)
                    + ": the mark must be non-zero and inside a non-zero mask, or it would match every connection or none");
        }
        List<ConntrackEntry> marked = listMarked(family, mark, mask).stream()
                .filter(e -> e.family() == family && (e.mark() & mask) == mark)
                .toList();
        List<NlMessage> deletes = marked.stream().map(e -> CtnlCodec.delete(channel.nextSeq(), e)).toList();
        String what = "conntrack -D -f " + family.id() + " --mark " + markText(mark, mask);
        List<NlPayload.Error> answers = channel.exchange(deletes, what, null);
        int deleted = 0;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            NlPayload.Error a = answers.get(i);
            if (a.isAck()) {
                deleted++;
            } else if (a.errno() != Errno.ENOENT) {
                refused.add(marked.get(i) + ": " + Errno.describe(a.errno()));
            }
        }
        if (!refused.isEmpty()) {
            throw new KernelException(what + ": " + refused.size() + " of " + marked.size() + " deletes refused ("
                    + String.join("; ", refused.stream().limit(5).collect(Collectors.toList())) + "); " + deleted + " entries were deleted");
        }
        return deleted;
    }

    @Override
    public synchronized void close() {
        channel.close();
    }

    private static String markText(int mark, int mask) {
        return "0x" + Integer.toHexString(mark) + "/0x" + Integer.toHexString(mask);
    }
}

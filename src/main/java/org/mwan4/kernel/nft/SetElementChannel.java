package org.mwan4.kernel.nft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.mwan4.kernel.netlink.NetlinkSocketException;
import org.mwan4.kernel.nft.SetElementCodec.Batch;
import org.mwan4.kernel.nft.SetElementCodec.ElementMessage;
import org.mwan4.kernel.nft.SetElementCodec.Placed;
import org.mwan4.kernel.nft.SetElementDecoder.Answer;

/**
 * The direct nf_tables path for interval-set elements: {@link SetElements} encoded by {@link SetElementCodec} and
 * sent as one nfnetlink batch over a NETLINK_NETFILTER {@link NetlinkSocket}, without nft's parser and without
 * the full set dump nft does before every change of an interval set. 100k prefixes cost what the kernel
 * needs to insert them; ten prefixes into a 100k set cost well under a millisecond of kernel time.
 *
 * <p>The kernel applies a batch atomically and answers every element message (each carries NLM_F_ACK); a batch
 * counts as applied only when every answer is an ACK. It processes the batch inside our sendto(2), so all
 * answers are queued when the send returns. Not thread-safe beyond {@code synchronized}: one batch at a time.
 */
public final class SetElementChannel implements AutoCloseable {
    /** How long to wait for answers that should already be queued when the send returns. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MIN_RECEIVE_BUFFER = 256 << 10;
    /** Receive-buffer room per expected answer: an ACK skb's true size with ext-ack text is about 1 KiB. */
    private static final int PER_ANSWER = 2 << 10;

    private final NetlinkSocket socket;
    private final byte[] rx = NetlinkSocket.newReceiveBuffer();
    private final String where;
    private int seq;
    private int sendCapacity;
    private int receiveCapacity;

    private SetElementChannel(NetlinkSocket socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    /**
     * Opens the NETLINK_NETFILTER socket inside {@code netns}, like {@code ip netns exec NAME nft ...} would.
     *
     * @throws KernelException when the socket cannot be opened
     */
    public static SetElementChannel open(NetnsThread netns) {
        return netns.call(() -> openHere(netns.name() == null ? "the host namespace" : "netns " + netns.name()));
    }

    /** Opens the socket in the calling thread's namespace. */
    static SetElementChannel openHere(String where) {
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER);
        try {
            s.receiveTimeout(TIMEOUT);
            SetElementChannel c = new SetElementChannel(s, where);
            c.receiveCapacity = s.receiveBufferSize(MIN_RECEIVE_BUFFER);
            return c;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Applies {@code changes} as one transaction: each set's deletes, then its adds; all of it or nothing.
     * Equals {@code nft -f} of {@link SetElements#script} ({@code delete element inet fw4 S { ... }},
     * {@code add element inet fw4 S { ... }}).
     *
     * @throws NftException    naming the change, the element and the kernel's reason when the kernel refused the
     *                         batch; nothing was changed then
     * @throws KernelException when the answers could not be read (the batch may or may not have been applied)
     */
    public synchronized void apply(List<SetElements> changes) {
        List<SetElements> work = changes.stream().filter(c -> !c.isEmpty()).toList();
        if (work.isEmpty()) {
            return;
        }
        Batch batch = SetElementCodec.encode(work, seq + 1);
        seq = batch.endSeq();
        fit(batch);
        socket.send(batch.bytes());
        List<Failure> failures = await(batch, work);
        if (!failures.isEmpty()) {
            throw rejected(work, failures);
        }
    }

    /** An error answer: to an element message, or (message null) to the batch itself (a failed commit). */
    private record Failure(Answer answer, ElementMessage message) {}

    /** Collects every element message's answer; errors in batch order. */
    private List<Failure> await(Batch batch, List<SetElements> work) {
        List<ElementMessage> messages = batch.messages();
        int first = messages.getFirst().seq();
        boolean[] answered = new boolean[messages.size()];
        int missing = messages.size();
        List<Failure> failures = new ArrayList<>();
        while (missing > 0) {
            int n = receive(batch, missing, false);
            if (n < 0) {
                throw new KernelException(where + ": no answer from nf_tables within " + TIMEOUT.toSeconds() + " s for "
                        + missing + " of " + messages.size() + " element messages (" + summary(work)
                        + "); whether they were applied is unknown: re-read the sets");
            }
            for (Answer a : SetElementDecoder.answers(rx, n)) {
                int i = a.seq() - first;
                if (a.seq() == batch.beginSeq() && a.error() != 0) {
                    failures.add(new Failure(a, null));
                    drain(batch);
                    return failures; // a refused batch (e.g. ENOMEM) may answer nothing else
                }
                if (i < 0 || i >= messages.size() || answered[i]) {
                    continue; // an answer to an earlier batch that gave up waiting
                }
                answered[i] = true;
                missing--;
                if (a.error() != 0) {
                    failures.add(new Failure(a, messages.get(i)));
                }
            }
        }
        return failures;
    }

    /** Reads what is still queued without waiting (the kernel queued every answer during our send). */
    private void drain(Batch batch) {
        while (receive(batch, 0, true) >= 0) {
            // answers after a refused batch say nothing more
        }
    }

    private int receive(Batch batch, int missing, boolean now) {
        try {
            return now ? socket.receiveNow(rx) : socket.receive(rx);
        } catch (NetlinkSocketException e) {
            if (e.errno() == Errno.ENOBUFS) {
                throw new KernelException(where + ": nf_tables answers were dropped (receive buffer overrun) with " + missing
                        + " of " + batch.messages().size() + " element messages unanswered; whether the batch was applied is"
                        + " unknown: re-read the sets", e);
            }
            throw e;
        }
    }

    /** Grows the socket buffers so the batch fits in one datagram and every answer fits in the receive queue. */
    private void fit(Batch batch) {
        int length = batch.bytes().length;
        if (sendCapacity - 64 < length) { // netlink_sendmsg refuses len > sk_sndbuf - 32
            sendCapacity = socket.sendBufferSize(length + 4096);
            if (sendCapacity - 64 < length) {
                throw new KernelException(where + ": a " + length + "-byte nf_tables batch does not fit the socket's "
                        + sendCapacity + "-byte send buffer (SO_SNDBUFFORCE needs CAP_NET_ADMIN); nothing was sent");
            }
        }
        long wanted = Math.max(MIN_RECEIVE_BUFFER, (long) (batch.messages().size() + 1) * PER_ANSWER);
        if (receiveCapacity < wanted) {
            receiveCapacity = socket.receiveBufferSize((int) Math.min(Integer.MAX_VALUE / 2, wanted));
        }
    }

    private NftException rejected(List<SetElements> work, List<Failure> failures) {
        Failure f = failures.getFirst();
        int errno = -f.answer().error();
        String reason = Errno.describe(errno) + (f.answer().text() == null ? "" : " (" + f.answer().text() + ")");
        StringBuilder sb = new StringBuilder(where).append(": nf_tables rejected ");
        int op = -1;
        if (f.message() == null) {
            sb.append("the batch (").append(summary(work)).append("): ").append(reason);
        } else {
            ElementMessage m = f.message();
            op = m.change();
            Placed p = f.answer().badAttribute() >= 0 ? m.at(f.answer().badAttribute()) : null;
            sb.append("change ").append(op + 1).append(" of ").append(work.size()).append(" (").append(m.command()).append(')');
            if (p != null) {
                sb.append(" at ").append(p.prefix().network()).append(" (").append(p.bound()).append(')');
            }
            sb.append(": ").append(reason).append(hint(errno, m.add(), p != null, m.set()));
        }
        if (failures.size() > 1) {
            sb.append("; ").append(failures.size() - 1).append(" more message(s) refused");
        }
        sb.append("; the whole batch (").append(summary(work)).append(") was rolled back, the sets are unchanged");
        return new NftException(sb.toString(), op, reason);
    }

    private static String hint(int errno, boolean add, boolean element, String set) {
        if (!element && errno == Errno.ENOENT) {
            return ": table inet fw4 or set " + set + " does not exist";
        }
        if (add && errno == Errno.EEXIST) {
            return ": it overlaps an element in the set or in this batch (the kernel does not merge intervals)";
        }
        if (!add && errno == Errno.ENOENT) {
            return ": the set has no such element";
        }
        if (errno == Errno.EINVAL) {
            return ": the key does not fit the set (wrong family, or not an interval set)";
        }
        return "";
    }

    private static String summary(List<SetElements> work) {
        int added = work.stream().mapToInt(c -> c.added().size()).sum();
        int removed = work.stream().mapToInt(c -> c.removed().size()).sum();
        return added + " prefixes added, " + removed + " deleted in " + work.size() + " set change(s)";
    }

    @Override
    public synchronized void close() {
        socket.close();
    }
}

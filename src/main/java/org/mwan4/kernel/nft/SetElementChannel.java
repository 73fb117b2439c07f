package org.mwan4.kernel.nft;

import java.util.List;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.mwan4.kernel.nft.SetElementCodec.Batch;
import org.mwan4.kernel.nft.SetElementCodec.ElementMessage;
import org.mwan4.kernel.nft.SetElementCodec.Placed;
import org.mwan4.kernel.nft.NftBatchSocket.Failure;

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
    private final NftBatchSocket socket;

    private SetElementChannel(NftBatchSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens the NETLINK_NETFILTER socket inside {@code netns}, like {@code ip netns exec NAME nft ...} would.
     *
     * @throws KernelException when the socket cannot be opened
     */
    public static SetElementChannel open(NetnsThread netns) {
        return netns.call(() -> openHere(netns.describe()));
    }

    /** Opens the socket in the calling thread's namespace. */
    static SetElementChannel openHere(String where) {
        return new SetElementChannel(NftBatchSocket.openHere(where));
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
        Batch batch = SetElementCodec.encode(work, socket.nextSeq());
        List<ElementMessage> messages = batch.messages();
        List<Failure> failures = socket.transact(batch.bytes(), batch.beginSeq(), batch.endSeq(),
                messages.getFirst().seq(), messages.size(), () -> summary(work));
        if (!failures.isEmpty()) {
            throw rejected(work, messages, failures);
        }
    }

    private NftException rejected(List<SetElements> work, List<ElementMessage> messages, List<Failure> failures) {
        Failure f = failures.getFirst();
        int errno = f.errno();
        String reason = f.reason();
        StringBuilder sb = new StringBuilder(socket.where()).append(": nf_tables rejected ");
        int op = -1;
        if (f.index() < 0) {
            sb.append("the batch (").append(summary(work)).append("): ").append(reason);
        } else {
            ElementMessage m = messages.get(f.index());
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

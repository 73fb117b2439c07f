package org.mwan4.kernel.nft;

import java.util.List;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.nft.ChainRuleCodec.Batch;
import org.mwan4.kernel.nft.ChainRuleCodec.RuleMessage;
import org.mwan4.kernel.nft.NftBatchSocket.Failure;
import org.mwan4.plan.NftChain;

/**
 * The direct nf_tables path for chain rewrites whose rules are all {@link ChainRule}s (the strategy chains a
 * failover rewrites): {@link ChainRuleCodec} bytes sent as one nfnetlink batch, without nft's parser, evaluator
 * and cache dump. A failover's one rewrite then costs what the kernel needs to swap a chain's rules.
 * Not thread-safe beyond {@code synchronized}: one batch at a time.
 */
public final class ChainRuleChannel implements AutoCloseable {
    private final NftBatchSocket socket;
    private final ChainRuleMemo parsed = new ChainRuleMemo(MEMO_RULES);

    /** Rule texts whose parse is kept: every strategy chain of a large config in each of its few states. */
    static final int MEMO_RULES = 1024;

    private ChainRuleChannel(NftBatchSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens the NETLINK_NETFILTER socket inside {@code netns}, like {@code ip netns exec NAME nft ...} would.
     *
     * @throws KernelException when the socket cannot be opened
     */
    public static ChainRuleChannel open(NetnsThread netns) {
        return netns.call(() -> openHere(netns.describe()));
    }

    /** Opens the socket in the calling thread's namespace. */
    static ChainRuleChannel openHere(String where) {
        return new ChainRuleChannel(NftBatchSocket.openHere(where));
    }

    /**
     * Replaces the rules of every chain in one transaction: all of it or nothing. Equals {@code nft -f} of
     * {@code flush chain inet fw4 C} + {@code add rule inet fw4 C ...} per chain.
     *
     * @throws IllegalArgumentException when a rule is not {@link ChainRuleCodec#encodable} (nothing was sent)
     * @throws NftException             naming the chain, the op and the kernel's reason when the kernel refused the
     *                                  batch; nothing was changed then
     * @throws KernelException          when the answers could not be read (the batch may or may not have been applied)
     */
    public synchronized void replace(List<NftChain> chains) {
        replace(chains, parsed);
    }

    /** As {@link #replace(List)}, with rules already parsed (or about to be) through {@code memo}. */
    synchronized void replace(List<NftChain> chains, ChainRuleMemo memo) {
        if (chains.isEmpty()) {
            return;
        }
        Batch batch = ChainRuleCodec.encode(chains, socket.nextSeq(), memo::parse);
        List<RuleMessage> messages = batch.messages();
        List<Failure> failures = socket.transact(batch.bytes(), batch.beginSeq(), batch.endSeq(),
                messages.getFirst().seq(), messages.size(), () -> summary(chains));
        if (!failures.isEmpty()) {
            throw rejected(chains, messages, failures);
        }
    }

    private NftException rejected(List<NftChain> chains, List<RuleMessage> messages, List<Failure> failures) {
        Failure f = failures.getFirst();
        int errno = f.errno();
        String reason = f.reason();
        StringBuilder sb = new StringBuilder(socket.where()).append(": nf_tables rejected ");
        int op = -1;
        if (f.index() < 0) {
            sb.append("the batch (").append(summary(chains)).append("): ").append(reason);
        } else {
            RuleMessage m = messages.get(f.index());
            for (int i = 0; i < chains.size(); i++) {
                if (chains.get(i).name().equals(m.chain())) {
                    op = i;
                }
            }
            sb.append("the rewrite of chain ").append(m.chain()).append(" at \"").append(m.command()).append("\": ").append(reason);
            if (errno == Errno.ENOENT && m.rule() < 0) {
                sb.append(": table inet fw4 or chain ").append(m.chain()).append(" does not exist");
            }
        }
        if (failures.size() > 1) {
            sb.append("; ").append(failures.size() - 1).append(" more message(s) refused");
        }
        sb.append("; the whole batch (").append(summary(chains)).append(") was rolled back, the chains are unchanged");
        return new NftException(sb.toString(), op, reason);
    }

    private static String summary(List<NftChain> chains) {
        return "rewrite of " + chains.size() + " chain(s): " + String.join(", ", chains.stream().map(NftChain::name).toList());
    }

    @Override
    public synchronized void close() {
        socket.close();
    }
}

package org.mwan4.kernel.nft;

import org.mwan4.kernel.KernelException;

/**
 * nft refused a transaction or a listing. When the error points at a line of the script the message
 * names the op: {@code nft rejected op 3 of 7 (replace chain mwan4_strategy_balanced_ipv4): Could not
 * process rule: No such file or directory}. A rejected transaction changed nothing.
 */
public final class NftException extends KernelException {
    private final int op;
    private final String nftMessage;

    /**
     * @param op         0-based index of the rejected op, or -1 when nft's error pointed at no line of ours
     * @param nftMessage nft's own text of the first error, without location
     */
    public NftException(String message, int op, String nftMessage) {
        super(message);
        this.op = op;
        this.nftMessage = nftMessage;
    }

    /** 0-based index of the rejected op, or -1 when unknown. */
    public int op() {
        return op;
    }

    /** nft's text of the first error, e.g. {@code Could not process rule: No such file or directory}. */
    public String nftMessage() {
        return nftMessage;
    }
}

package org.mwan4.kernel.nft;

/**
 * What the kernel announces on the nftables multicast group (NFNLGRP_NFTABLES), reduced to what the
 * runtime needs to notice that someone else touched our objects ({@code nft flush table inet fw4},
 * {@code fw4 reload}, {@code nft delete chain ...}).
 */
public sealed interface NftNotification {

    /**
     * A table, chain, rule, set or set-element change, as {@code nft monitor} prints it.
     *
     * @param family nft family name: {@code inet}, {@code ip}, {@code ip6}, {@code arp}, {@code bridge}, {@code netdev}
     * @param table  the table's name, e.g. {@code fw4}
     * @param name   the object: the table's name for table changes, the chain for chains and rules, the set
     *               for sets and elements
     */
    record Change(Kind kind, String family, String table, String name) implements NftNotification {

        /** True when this removes something of ours: the table itself, or a chain/rule/set/element named {@code prefix...} in it. */
        public boolean removesOurs(String family, String table, String prefix) {
            if (!kind.isRemoval() || !this.family.equals(family) || !this.table.equals(table)) {
                return false;
            }
            return kind == Kind.DEL_TABLE || name.startsWith(prefix);
        }
    }

    /**
     * One transaction was committed (NFT_MSG_NEWGEN, sent after its changes). {@code pid} (the committing
     * task's id: a thread id, see {@link LibNftables#threadId()}) and {@code process} (its comm, e.g.
     * {@code nft}) say who made it, so the runtime can tell its own transactions from others'.
     */
    record Generation(long id, int pid, String process) implements NftNotification {}

    /** The kernel dropped notifications because the socket's buffer was full (ENOBUFS): re-read everything. */
    record Overrun() implements NftNotification {}

    /** The monitor's socket failed and the monitor stopped; nothing more will be reported. */
    record Stopped(String reason) implements NftNotification {}

    /** nf_tables message types we decode (enum nf_tables_msg_types, linux/netfilter/nf_tables.h). */
    enum Kind {
        NEW_TABLE(0), DEL_TABLE(2), NEW_CHAIN(3), DEL_CHAIN(5), NEW_RULE(6), DEL_RULE(8),
        NEW_SET(9), DEL_SET(11), NEW_SETELEM(12), DEL_SETELEM(14);

        private final int msg;

        Kind(int msg) {
            this.msg = msg;
        }

        /** NFT_MSG_* number. */
        public int msg() {
            return msg;
        }

        public boolean isRemoval() {
            return this == DEL_TABLE || this == DEL_CHAIN || this == DEL_RULE || this == DEL_SET || this == DEL_SETELEM;
        }
    }
}

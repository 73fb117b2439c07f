package org.mwan4.kernel.nft;

import org.mwan4.kernel.NetnsThread;
import org.mwan4.testing.TestNetns;

/**
 * What every real-kernel nft test starts from: a throwaway namespace, a thread that setns()'d into it,
 * libnftables opened on that thread and a reader over it. Each test adds its own table contents afterwards.
 */
record NftNetns(TestNetns ns, NetnsThread thread, LibNftables nft, NftReader reader) implements AutoCloseable {

    /** Creates {@code mwan4t-<purpose>-xxxxxx} (skips the test when not root) and opens libnftables inside it. */
    static NftNetns open(String purpose) {
        TestNetns ns = TestNetns.create(purpose);
        NetnsThread thread = null;
        try {
            thread = NetnsThread.enter(ns.name());
            LibNftables nft = LibNftables.open(thread);
            return new NftNetns(ns, thread, nft, new NftReader(nft));
        } catch (RuntimeException | Error e) {
            // nothing leaks when the library or the thread cannot be opened: the namespace goes too
            if (thread != null) {
                thread.close();
            }
            ns.close();
            throw e;
        }
    }

    /** Closes libnftables, then the thread, then deletes the namespace ({@code ip netns del}). */
    @Override
    public void close() {
        try {
            nft.close();
        } finally {
            try {
                thread.close();
            } finally {
                ns.close();
            }
        }
    }
}

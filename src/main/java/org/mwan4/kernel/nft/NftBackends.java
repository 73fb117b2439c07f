package org.mwan4.kernel.nft;

import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the nftables backend: libnftables over FFM when it loads, else the {@code nft} program.
 * Logs once per call (INFO for libnftables, WARN for the fallback with the reason) and returns the
 * backend, whose {@link NftBackend#name()} says which one it is.
 */
public final class NftBackends {
    private static final Logger LOG = LoggerFactory.getLogger(NftBackends.class);

    private NftBackends() {}

    /**
     * Opens a backend for a namespace made by {@code ip netns add}, or for the JVM's own namespace when
     * {@code netns} is null. The libnftables backend owns a new {@link NetnsThread} and stops it on close.
     *
     * @throws KernelException when neither libnftables nor the nft program can be used
     */
    public static NftBackend open(String netns) {
        return open(netns, LibNftables.LIBRARY);
    }

    static NftBackend open(String netns, String library) {
        // a missing namespace is not a reason to fall back: let that error through
        NetnsThread thread = netns == null ? NetnsThread.host() : NetnsThread.enter(netns);
        KernelException libFailure;
        try {
            NftBackend b = LibNftables.open(thread, library, true);
            LOG.info("nftables backend: {}", b.name());
            return b;
        } catch (KernelException e) {
            libFailure = e;
        }
        try {
            NftBackend b = NftBinary.open(netns);
            LOG.warn("nftables backend: {} (fallback, every transaction forks nft): {}", b.name(), libFailure.getMessage());
            return b;
        } catch (KernelException e) {
            throw new KernelException("no nftables backend: " + libFailure.getMessage() + "; and " + e.getMessage(), e);
        }
    }
}

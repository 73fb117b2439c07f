package org.mwan4.kernel;

import java.util.List;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;

/**
 * The narrow port between the runtime and the host: apply a step's ops, read back what exists.
 * Two implementations: the Linux one (libnftables + rtnetlink over FFM) and {@link RecordingKernel}
 * for tests and {@code --dry-run}.
 */
public interface Kernel extends AutoCloseable {

    /**
     * Applies one step: the nft ops as one atomic transaction, then the ip rule / route ops.
     *
     * @throws KernelException naming the failing op; nothing of the nft transaction is applied then
     */
    void apply(List<Op> ops);

    /** Our objects as they exist now (nft sets/chains by the {@code mwan4_} prefix, our ip rules and table routes). */
    Desired read();

    /**
     * The thread this kernel's calls run on, if it has one: a caller that runs its steps there saves two thread
     * hand-offs per call (empty: call from any thread).
     */
    default java.util.Optional<java.util.concurrent.Executor> home() {
        return java.util.Optional.empty();
    }

    /** Which backend is in use, for the log ({@code libnftables 1.0.6 via FFM}, {@code recording}). */
    String describe();

    @Override
    void close();
}

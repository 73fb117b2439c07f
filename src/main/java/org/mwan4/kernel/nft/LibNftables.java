package org.mwan4.kernel.nft;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.Op;

/**
 * nftables through {@code libnftables.so.1} (Debian package {@code nftables}) over the FFM API: the same
 * parser, evaluator and netlink batch code as the {@code nft} program, without forking it. A small
 * transaction costs well under a millisecond.
 *
 * <p><b>Namespace.</b> {@code nft_ctx_new()} opens the context's NETLINK_NETFILTER socket, and a socket
 * belongs to the network namespace of the thread that created it. libnftables also reads the interface
 * list (for {@code iif}/{@code oif}) through a fresh rtnetlink socket on the calling thread. So the
 * context is created, used and freed only on the backend's {@link NetnsThread}: every call hops there.
 *
 * <p><b>Threads.</b> Safe to call from any thread: calls are queued onto the namespace thread and run one at
 * a time. libnftables also keeps process-wide state (its interface cache, released after every command;
 * one-time library init), so calls of all instances in this JVM are serialised by one lock.
 *
 * <p><b>Set elements.</b> {@link #applyElements} does not go through libnftables: nft parses and evaluates every
 * element and dumps a whole interval set before changing it (100k prefixes: about a second in nft alone), so
 * element changes of our interval sets are sent as one nf_tables netlink batch ({@link SetElementChannel}), from
 * the same namespace thread, in order with the scripts. {@link NftStep} says how a step is split around it.
 *
 * <p><b>Chain rewrites.</b> A step whose nft ops are only chain rewrites in the strategy-chain vocabulary (a
 * failover: one strategy chain's rules swapped) skips libnftables too: {@link ChainRuleChannel} sends it as one
 * nf_tables batch, since nft's parse, cache fetch and evaluation cost about a millisecond (several after idling).
 *
 * <p>Memory: each call copies its input into a confined arena freed when the call returns; output and
 * error text is read from the context's buffers (libnftables owns them) and copied into Java strings.
 */
public final class LibNftables implements NftBackend {
    public static final String LIBRARY = "libnftables.so.1";

    private static final Logger LOG = LoggerFactory.getLogger(LibNftables.class);
    private static final int NFT_CTX_DEFAULT = 0;               // nftables/libnftables.h
    private static final int OUTPUT_STATELESS = 1 << 2;         // NFT_CTX_OUTPUT_STATELESS: no counter values
    private static final int OUTPUT_JSON = 1 << 4;              // NFT_CTX_OUTPUT_JSON
    private static final int OUTPUT_TERSE = 1 << 11;            // NFT_CTX_OUTPUT_TERSE: no set elements

    /** Guards libnftables' process-wide state (see class comment). */
    private static final ReentrantLock PROCESS_WIDE = new ReentrantLock();

    private final Arena libraryArena;
    private final LibNftablesFunctions nft;
    private final NetnsThread thread;
    private final boolean ownsThread;
    private final Thread owner;
    private final MemorySegment ctx;
    private final String name;
    private final int threadId;
    /** The direct element path, opened on first use on the namespace thread; only touched there. */
    private SetElementChannel elements;
    /** The direct chain-rewrite path, opened on first use on the namespace thread; only touched there. */
    private ChainRuleChannel rules;
    /** What the direct path's check parsed, so the encoding does not parse it again (and repeated chains never). */
    private final ChainRuleMemo ruleMemo = new ChainRuleMemo(ChainRuleChannel.MEMO_RULES);
    private volatile boolean closed;

    private LibNftables(Arena libraryArena, LibNftablesFunctions nft, NetnsThread thread, boolean ownsThread, Thread owner,
                        MemorySegment ctx, String name, int threadId) {
        this.libraryArena = libraryArena;
        this.nft = nft;
        this.thread = thread;
        this.ownsThread = ownsThread;
        this.owner = owner;
        this.ctx = ctx;
        this.name = name;
        this.threadId = threadId;
    }

    /**
     * Loads libnftables and creates a context on {@code thread} (which the caller keeps owning).
     *
     * @throws KernelException when the library cannot be loaded or has no nftables netlink to talk to
     */
    public static LibNftables open(NetnsThread thread) {
        return open(thread, LIBRARY, false);
    }

    static LibNftables open(NetnsThread thread, String library, boolean ownsThread) {
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(library, arena);
            } catch (IllegalArgumentException e) {
                throw new KernelException("cannot load " + library + ": " + e.getMessage());
            }
            LibNftablesFunctions nft = LibNftablesFunctions.bind(lookup, library);
            record Created(Thread owner, MemorySegment ctx, int tid) {}
            Created c = thread.call(() -> {
                // nft_ctx_new exit()s the whole process when it cannot open its netlink socket: try one first.
                probeNetfilterSocket();
                PROCESS_WIDE.lock();
                try {
                    MemorySegment ctx = nft.ctxNew(NFT_CTX_DEFAULT);
                    if (ctx.equals(MemorySegment.NULL)) {
                        throw new KernelException("nft_ctx_new returned NULL");
                    }
                    if (!nft.bufferOutputAndError(ctx)) {
                        nft.ctxFree(ctx);
                        throw new KernelException("nft_ctx_buffer_output/error failed: cannot capture nft's output");
                    }
                    return new Created(Thread.currentThread(), ctx, currentTid());
                } finally {
                    PROCESS_WIDE.unlock();
                }
            });
            String where = thread.describe();
            return new LibNftables(arena, nft, thread, ownsThread, c.owner(), c.ctx(), library + " in " + where, c.tid());
        } catch (RuntimeException e) {
            arena.close();
            if (ownsThread) {
                thread.close();
            }
            throw e;
        }
    }

    /** {@code nft -f script}: the whole script in one libnftables run, one netlink batch. */
    @Override
    public void apply(NftScript script) {
        if (script.isEmpty()) {
            return;
        }
        Outcome o = run(script.text(), 0, false, true);
        if (o.rc() != 0) {
            throw NftErrors.rejected(script, o.error(), o.rc());
        }
    }

    /** {@code nft -c -f script} through {@code nft_ctx_set_dry_run}. */
    @Override
    public void check(NftScript script) {
        if (script.isEmpty()) {
            return;
        }
        Outcome o = run(script.text(), 0, true, true);
        if (o.rc() != 0) {
            throw NftErrors.rejected(script, o.error(), o.rc());
        }
    }

    /**
     * A step's nft ops as {@code nft -f render(before)}, one element batch for our interval sets, {@code nft -f
     * render(after)} ({@link NftStep}); parts with nothing to do are skipped.
     */
    @Override
    public void apply(List<Op> ops, Function<List<Op>, NftScript> render) {
        Optional<List<NftChain>> rewrites = ChainRuleCodec.rewrites(ops.stream().filter(NftStep::isNft).toList(), ruleMemo::parse);
        if (rewrites.isPresent()) {
            LOG.debug("nft step: {} chain rewrite(s) as one direct nf_tables batch", rewrites.get().size());
            replaceChains(rewrites.get());
            return;
        }
        LOG.debug("nft step: {} op(s) through libnftables", ops.size());
        NftStep step = NftStep.of(ops);
        if (!step.before().isEmpty()) {
            apply(render.apply(step.before()));
        }
        applyElements(step.elements());
        if (!step.after().isEmpty()) {
            apply(render.apply(step.after()));
        }
    }

    /**
     * {@code nft -f} of {@code delete element ...} / {@code add element ...} lines, sent as one nf_tables netlink
     * batch through {@link SetElementChannel} on the namespace thread (in order with every other call here).
     */
    @Override
    public void applyElements(List<SetElements> changes) {
        if (closed) {
            throw new KernelException(name + " is closed");
        }
        if (changes.stream().allMatch(SetElements::isEmpty)) {
            return;
        }
        onThread(() -> {
            if (elements == null) {
                elements = SetElementChannel.openHere(thread.describe());
            }
            elements.apply(changes);
            return null;
        });
    }

    /**
     * {@code nft -f} of {@code flush chain inet fw4 C} + {@code add rule inet fw4 C ...} for each chain, sent as one
     * nf_tables netlink batch through {@link ChainRuleChannel} on the namespace thread (so the monitor knows it as
     * ours by {@link #threadId()}). Every rule must be a {@link ChainRule} ({@link ChainRuleCodec#rewrites}).
     */
    public void replaceChains(List<NftChain> chains) {
        if (closed) {
            throw new KernelException(name + " is closed");
        }
        onThread(() -> {
            if (rules == null) {
                rules = ChainRuleChannel.openHere(thread.describe());
            }
            rules.replace(chains, ruleMemo);
            return null;
        });
    }

    /** {@code nft -s <command>}. */
    @Override
    public String list(String command) {
        return listing(command, OUTPUT_STATELESS);
    }

    /** {@code nft -s -t <command>}. */
    @Override
    public String listTerse(String command) {
        return listing(command, OUTPUT_STATELESS | OUTPUT_TERSE);
    }

    /** {@code nft <command>}. */
    @Override
    public String listWithCounters(String command) {
        return listing(command, 0);
    }

    /** {@code nft -j <command>}. */
    @Override
    public String listJson(String command) {
        return listing(command, OUTPUT_JSON);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The kernel thread id every call runs on. The kernel stamps each committed transaction's
     * NFT_MSG_NEWGEN with it ({@link NftNotification.Generation#pid()}, NFTA_GEN_PROC_PID is the task's pid,
     * i.e. the thread id), so a monitor can tell our transactions from everyone else's. 0 when unknown.
     */
    public int threadId() {
        return threadId;
    }

    /** The namespace thread every call runs on: calls made there run inline, without a hand-off. */
    public java.util.concurrent.Executor home() {
        return thread.executor();
    }

    /** Frees the context on its thread, unloads the library handle, and stops the thread if we own it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onThread(() -> {
                if (elements != null) {
                    elements.close();
                }
                if (rules != null) {
                    rules.close();
                }
                PROCESS_WIDE.lock();
                try {
                    nft.ctxFree(ctx);
                } finally {
                    PROCESS_WIDE.unlock();
                }
                return null;
            });
        } finally {
            libraryArena.close();
            if (ownsThread) {
                thread.close();
            }
        }
    }

    private String listing(String command, int flags) {
        Outcome o = run(command, flags, false, false);
        if (o.rc() != 0) {
            throw NftErrors.listFailed(command, o.error(), o.rc());
        }
        return o.output();
    }

    private record Outcome(int rc, String output, String error) {}

    /**
     * One libnftables run. Scripts go through a memfd and {@code nft_run_cmd_from_filename} so that errors
     * carry their line number (see {@link ScriptFile}); one-line listing commands go through
     * {@code nft_run_cmd_from_buffer}. Either way the whole input is one netlink batch.
     */
    private Outcome run(String text, int flags, boolean dryRun, boolean asFile) {
        if (closed) {
            throw new KernelException(name + " is closed");
        }
        return onThread(() -> {
            PROCESS_WIDE.lock();
            try (Arena call = Arena.ofConfined()) {
                nft.setFlags(ctx, flags);
                nft.setDryRun(ctx, dryRun);
                // reading a buffer also rewinds it: drop anything a previous call left behind
                nft.output(ctx);
                nft.error(ctx);
                int rc;
                if (asFile) {
                    try (ScriptFile file = ScriptFile.of(text, call)) {
                        rc = nft.runFile(ctx, call.allocateFrom(file.path()));
                    }
                } else {
                    rc = nft.run(ctx, call.allocateFrom(text, StandardCharsets.UTF_8));
                }
                return new Outcome(rc, nft.output(ctx), nft.error(ctx));
            } finally {
                try {
                    nft.setDryRun(ctx, false);
                } finally {
                    PROCESS_WIDE.unlock();
                }
            }
        });
    }

    private static void probeNetfilterSocket() {
        try {
            NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER).close();
        } catch (KernelException e) {
            throw new KernelException(e.getMessage() + "; nftables netlink is not available here", e);
        }
    }

    /** This thread's kernel id, from /proc/thread-self -> "PID/task/TID". */
    private static int currentTid() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Integer.parseInt(self.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private <T> T onThread(Callable<T> work) {
        if (Thread.currentThread() == owner) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new KernelException(name + ": " + e, e);
            }
        }
        return thread.call(work);
    }
}

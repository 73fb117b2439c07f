package org.mwan4.kernel.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.NftScript;

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
 * <p>Memory: each call copies its input into a confined arena freed when the call returns; output and
 * error text is read from the context's buffers (libnftables owns them) and copied into Java strings.
 */
public final class LibNftables implements NftBackend {
    public static final String LIBRARY = "libnftables.so.1";

    private static final int NFT_CTX_DEFAULT = 0;               // nftables/libnftables.h
    private static final int OUTPUT_STATELESS = 1 << 2;         // NFT_CTX_OUTPUT_STATELESS: no counter values
    private static final int OUTPUT_JSON = 1 << 4;              // NFT_CTX_OUTPUT_JSON
    private static final int OUTPUT_TERSE = 1 << 11;            // NFT_CTX_OUTPUT_TERSE: no set elements

    /** Guards libnftables' process-wide state (see class comment). */
    private static final ReentrantLock PROCESS_WIDE = new ReentrantLock();

    private final Arena libraryArena;
    private final Bindings nft;
    private final NetnsThread thread;
    private final boolean ownsThread;
    private final Thread owner;
    private final MemorySegment ctx;
    private final String name;
    private final int threadId;
    private volatile boolean closed;

    private LibNftables(Arena libraryArena, Bindings nft, NetnsThread thread, boolean ownsThread, Thread owner,
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
            Bindings nft = Bindings.bind(lookup, library);
            record Created(Thread owner, MemorySegment ctx, int tid) {}
            Created c = thread.call(() -> {
                // nft_ctx_new exit()s the whole process when it cannot open its netlink socket: try one first.
                NetfilterSocket.open().close();
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
            String where = thread.name() == null ? "the host namespace" : "netns " + thread.name();
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

    /** Frees the context on its thread, unloads the library handle, and stops the thread if we own it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onThread(() -> {
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

    /** Downcall handles for the libnftables functions we use (signatures from nftables/libnftables.h). */
    private record Bindings(MethodHandle hNew, MethodHandle hFree, MethodHandle hBufferOutput, MethodHandle hBufferError,
                            MethodHandle hOutput, MethodHandle hError, MethodHandle hSetFlags,
                            MethodHandle hSetDryRun, MethodHandle hRun, MethodHandle hRunFile) {

        static Bindings bind(SymbolLookup lib, String library) {
            Linker l = Linker.nativeLinker();
            ValueLayout ptr = ValueLayout.ADDRESS;
            ValueLayout i32 = ValueLayout.JAVA_INT;
            return new Bindings(
                    // struct nft_ctx *nft_ctx_new(uint32_t flags)
                    l.downcallHandle(find(lib, library, "nft_ctx_new"), FunctionDescriptor.of(ptr, i32)),
                    // void nft_ctx_free(struct nft_ctx *ctx)
                    l.downcallHandle(find(lib, library, "nft_ctx_free"), FunctionDescriptor.ofVoid(ptr)),
                    // int nft_ctx_buffer_output(struct nft_ctx *ctx)
                    l.downcallHandle(find(lib, library, "nft_ctx_buffer_output"), FunctionDescriptor.of(i32, ptr)),
                    // int nft_ctx_buffer_error(struct nft_ctx *ctx)
                    l.downcallHandle(find(lib, library, "nft_ctx_buffer_error"), FunctionDescriptor.of(i32, ptr)),
                    // const char *nft_ctx_get_output_buffer(struct nft_ctx *ctx)
                    l.downcallHandle(find(lib, library, "nft_ctx_get_output_buffer"), FunctionDescriptor.of(ptr, ptr)),
                    // const char *nft_ctx_get_error_buffer(struct nft_ctx *ctx)
                    l.downcallHandle(find(lib, library, "nft_ctx_get_error_buffer"), FunctionDescriptor.of(ptr, ptr)),
                    // void nft_ctx_output_set_flags(struct nft_ctx *ctx, unsigned int flags)
                    l.downcallHandle(find(lib, library, "nft_ctx_output_set_flags"), FunctionDescriptor.ofVoid(ptr, i32)),
                    // void nft_ctx_set_dry_run(struct nft_ctx *ctx, bool dry)
                    l.downcallHandle(find(lib, library, "nft_ctx_set_dry_run"), FunctionDescriptor.ofVoid(ptr, ValueLayout.JAVA_BOOLEAN)),
                    // int nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)
                    l.downcallHandle(find(lib, library, "nft_run_cmd_from_buffer"), FunctionDescriptor.of(i32, ptr, ptr)),
                    // int nft_run_cmd_from_filename(struct nft_ctx *nft, const char *filename)
                    l.downcallHandle(find(lib, library, "nft_run_cmd_from_filename"), FunctionDescriptor.of(i32, ptr, ptr)));
        }

        MemorySegment ctxNew(int flags) {
            try {
                return (MemorySegment) hNew.invokeExact(flags);
            } catch (Throwable t) {
                throw failed("nft_ctx_new", t);
            }
        }

        void ctxFree(MemorySegment ctx) {
            try {
                hFree.invokeExact(ctx);
            } catch (Throwable t) {
                throw failed("nft_ctx_free", t);
            }
        }

        boolean bufferOutputAndError(MemorySegment ctx) {
            try {
                return (int) hBufferOutput.invokeExact(ctx) == 0 && (int) hBufferError.invokeExact(ctx) == 0;
            } catch (Throwable t) {
                throw failed("nft_ctx_buffer_output", t);
            }
        }

        /** Returns and rewinds the output buffer. */
        String output(MemorySegment ctx) {
            try {
                return cString((MemorySegment) hOutput.invokeExact(ctx));
            } catch (Throwable t) {
                throw failed("nft_ctx_get_output_buffer", t);
            }
        }

        /** Returns and rewinds the error buffer. */
        String error(MemorySegment ctx) {
            try {
                return cString((MemorySegment) hError.invokeExact(ctx));
            } catch (Throwable t) {
                throw failed("nft_ctx_get_error_buffer", t);
            }
        }

        void setFlags(MemorySegment ctx, int flags) {
            try {
                hSetFlags.invokeExact(ctx, flags);
            } catch (Throwable t) {
                throw failed("nft_ctx_output_set_flags", t);
            }
        }

        void setDryRun(MemorySegment ctx, boolean dry) {
            try {
                hSetDryRun.invokeExact(ctx, dry);
            } catch (Throwable t) {
                throw failed("nft_ctx_set_dry_run", t);
            }
        }

        int run(MemorySegment ctx, MemorySegment text) {
            try {
                return (int) hRun.invokeExact(ctx, text);
            } catch (Throwable t) {
                throw failed("nft_run_cmd_from_buffer", t);
            }
        }

        int runFile(MemorySegment ctx, MemorySegment filename) {
            try {
                return (int) hRunFile.invokeExact(ctx, filename);
            } catch (Throwable t) {
                throw failed("nft_run_cmd_from_filename", t);
            }
        }

        private static KernelException failed(String function, Throwable t) {
            return new KernelException(function + " failed: " + t, t);
        }

        private static String cString(MemorySegment p) {
            return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
        }

        private static MemorySegment find(SymbolLookup lib, String library, String symbol) {
            return lib.find(symbol).orElseThrow(() -> new KernelException(library + " has no symbol " + symbol
                    + "; it is not a libnftables this code supports"));
        }
    }
}

package org.mwan4.kernel.nft;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.mwan4.kernel.KernelException;

/**
 * Downcall handles for the libnftables functions {@link LibNftables} uses, with signatures from
 * {@code nftables/libnftables.h} (nftables 1.0.x), each wrapped so a failed call becomes a
 * {@link KernelException} naming the function. Not thread-safe by itself: a context is used by one thread.
 */
record LibNftablesFunctions(MethodHandle hNew, MethodHandle hFree, MethodHandle hBufferOutput, MethodHandle hBufferError,
                        MethodHandle hOutput, MethodHandle hError, MethodHandle hSetFlags,
                        MethodHandle hSetDryRun, MethodHandle hRun, MethodHandle hRunFile) {

    static LibNftablesFunctions bind(SymbolLookup lib, String library) {
        Linker l = Linker.nativeLinker();
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout i32 = ValueLayout.JAVA_INT;
        return new LibNftablesFunctions(
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

package org.mwan4.kernel.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;

/**
 * A script held in an anonymous in-memory file ({@code memfd_create(2)}), named {@code /proc/self/fd/N}.
 *
 * <p>Why: libnftables 1.0.6 reports errors in a buffer passed to {@code nft_run_cmd_from_buffer} without
 * their line number (and echoes the buffer's first line instead of the offending one), so the failing op
 * could not be named. Errors in a file read by {@code nft_run_cmd_from_filename} carry
 * {@code name:line:column}, exactly like {@code nft -f}. A memfd costs a few microseconds and leaves
 * nothing behind on any filesystem.
 */
final class ScriptFile implements AutoCloseable {
    private static final int MFD_CLOEXEC = 1; // linux/memfd.h
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MEMFD_CREATE = LINKER.downcallHandle(LINKER.defaultLookup().find("memfd_create").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = LINKER.downcallHandle(LINKER.defaultLookup().find("write").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int fd;

    private ScriptFile(int fd) {
        this.fd = fd;
    }

    /** Writes {@code text} (UTF-8) into a new memfd. */
    static ScriptFile of(String text, Arena arena) {
        MemorySegment state = arena.allocate(CAPTURE);
        int fd;
        try {
            fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom("mwan4-nft"), MFD_CLOEXEC);
        } catch (Throwable t) {
            throw new KernelException("memfd_create failed: " + t, t);
        }
        if (fd < 0) {
            throw new KernelException("memfd_create for the nft script: " + Errno.describe((int) ERRNO.get(state, 0L)));
        }
        ScriptFile f = new ScriptFile(fd);
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long off = 0;
            while (off < bytes.length) {
                long n = (long) WRITE.invokeExact(state, fd, buf.asSlice(off), (long) bytes.length - off);
                if (n < 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new KernelException("writing the nft script to a memfd: " + Errno.describe(errno));
                }
                off += n;
            }
            return f;
        } catch (KernelException e) {
            f.close();
            throw e;
        } catch (Throwable t) {
            f.close();
            throw new KernelException("writing the nft script to a memfd failed: " + t, t);
        }
    }

    /** The name nft opens: {@code /proc/self/fd/N}. */
    String path() {
        return "/proc/self/fd/" + fd;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new KernelException("close memfd " + fd + ": " + t, t);
        }
    }
}

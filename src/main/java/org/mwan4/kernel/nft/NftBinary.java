package org.mwan4.kernel.nft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.NftScript;

/**
 * nftables through the {@code nft} program: the fallback when libnftables cannot be loaded. Every call
 * forks {@code nft} (inside {@code ip netns exec NAME} when a namespace name is given): scripts go to
 * {@code nft -f -} on stdin, so nft parses exactly the same text and reports errors against the same lines
 * ({@code /dev/stdin:L:C}) as {@link LibNftables}; listings print the same text and JSON. It costs a fork and exec
 * per call (milliseconds instead of microseconds).
 *
 * <p>Thread-safe: calls are serialised, so two transactions never interleave.
 */
public final class NftBinary implements NftBackend {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"),
            Path.of("/usr/bin/nft"), Path.of("/bin/nft"), Path.of("/usr/local/sbin/nft"));
    private static final long TIMEOUT_SECONDS = 60;

    private final Path nft;
    private final String netns;
    private final ReentrantLock serial = new ReentrantLock();

    private NftBinary(Path nft, String netns) {
        this.nft = nft;
        this.netns = netns;
    }

    /**
     * Uses the first {@code nft} found in the usual sbin/bin directories.
     *
     * @param netns a namespace made by {@code ip netns add}, or null for the JVM's own namespace
     * @throws KernelException when there is no nft program
     */
    public static NftBinary open(String netns) {
        return new NftBinary(find().orElseThrow(() -> new KernelException(
                "no nft program in " + CANDIDATES + "; install the nftables package")), netns);
    }

    /** The {@code nft} program this machine has, if any. */
    public static Optional<Path> find() {
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** {@code nft -f -} with the script on stdin. */
    @Override
    public void apply(NftScript script) {
        if (script.isEmpty()) {
            return;
        }
        Outcome o = run(List.of("-f", "-"), script.text());
        if (o.rc() != 0) {
            throw NftErrors.rejected(script, o.error(), o.rc());
        }
    }

    /** {@code nft -c -f -}. */
    @Override
    public void check(NftScript script) {
        if (script.isEmpty()) {
            return;
        }
        Outcome o = run(List.of("-c", "-f", "-"), script.text());
        if (o.rc() != 0) {
            throw NftErrors.rejected(script, o.error(), o.rc());
        }
    }

    /** {@code nft -s <command>}. */
    @Override
    public String list(String command) {
        return listing(List.of("-s"), command);
    }

    /** {@code nft -s -t <command>}. */
    @Override
    public String listTerse(String command) {
        return listing(List.of("-s", "-t"), command);
    }

    /** {@code nft <command>}. */
    @Override
    public String listWithCounters(String command) {
        return listing(List.of(), command);
    }

    /** {@code nft -j <command>}. */
    @Override
    public String listJson(String command) {
        return listing(List.of("-j"), command);
    }

    @Override
    public String name() {
        return nft + (netns == null ? " in the host namespace" : " in netns " + netns);
    }

    @Override
    public void close() {
        // nothing held between calls
    }

    /** Listing commands go as arguments: {@code nft -j -f -} prints nothing for a list command in nft 1.0.6. */
    private String listing(List<String> flags, String command) {
        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of(command.strip().split("\\s+")));
        Outcome o = run(args, "");
        if (o.rc() != 0) {
            throw NftErrors.listFailed(command, o.error(), o.rc());
        }
        return o.output();
    }

    private record Outcome(int rc, String output, String error) {}

    private Outcome run(List<String> args, String stdin) {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.add(nft.toString());
        cmd.addAll(args);
        serial.lock();
        try {
            Process p = new ProcessBuilder(cmd).start();
            // feed stdin and drain both outputs concurrently: a large script or listing fills a pipe otherwise
            CompletableFuture<Void> in = CompletableFuture.runAsync(() -> write(p.getOutputStream(), stdin), Thread::startVirtualThread);
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), Thread::startVirtualThread);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), Thread::startVirtualThread);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KernelException(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s; killed it");
            }
            in.get();
            return new Outcome(p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new KernelException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while running " + String.join(" ", cmd), e);
        } catch (ExecutionException e) {
            throw new KernelException("talking to " + String.join(" ", cmd) + " failed: " + e.getCause(), e.getCause());
        } finally {
            serial.unlock();
        }
    }

    private static void write(OutputStream os, String text) {
        try (os) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nft exited early (e.g. bad usage); its exit code and stderr tell why
        }
    }

    private static String read(InputStream is) {
        try (is) {
            return new String(is.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KernelException("reading nft output: " + e.getMessage(), e);
        }
    }
}

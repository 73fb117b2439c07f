package org.mwan4.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mwan4.core.Effect;

/**
 * Runs the user hook ({@code /etc/mwan4.user}) for {@link Effect.RunHook} effects.
 *
 * <p>mwan3 ran its hook synchronously under a global lock, so a slow script stalled every change. Here a
 * hook never blocks the caller: runs are queued per interface (one at a time, in event order, so an
 * interface's connected never overtakes its disconnected), interfaces run independently, and a run
 * that exceeds the timeout is killed. Outcomes are reported to a listener (the daemon logs them).
 */
public final class HookRunner implements AutoCloseable {

    /** How a hook run ended. {@code exitCode} is -1 when killed on timeout or not started. */
    public record Outcome(Effect.RunHook hook, int exitCode, boolean timedOut, String output, String error) {
        public boolean ok() {
            return exitCode == 0 && !timedOut && error == null;
        }
    }

    private final Path script;
    private final Duration timeout;
    private final Consumer<Outcome> listener;
    private final ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hook-", 0).factory());
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    public HookRunner(Path script, Duration timeout, Consumer<Outcome> listener) {
        this.script = script;
        this.timeout = timeout;
        this.listener = listener;
    }

    /** Queues a run behind earlier runs of the same interface; returns at once. */
    public synchronized CompletableFuture<Void> submit(Effect.RunHook hook) {
        CompletableFuture<Void> prev = tails.getOrDefault(hook.iface(), CompletableFuture.completedFuture(null));
        CompletableFuture<Void> next = prev.thenRunAsync(() -> listener.accept(run(hook)), pool);
        tails.put(hook.iface(), next);
        return next;
    }

    /**
     * Equals {@code ACTION=connected INTERFACE=wan DEVICE=eth0 FAMILY=ipv4 FIRSTCONNECT=1 MWAN4_SHUTDOWN=0 sh /etc/mwan4.user}.
     */
    private Outcome run(Effect.RunHook hook) {
        if (!Files.isRegularFile(script)) {
            return new Outcome(hook, 0, false, "", null); // no hook installed: nothing to do, not an error
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ACTION", hook.action().id());
        env.put("INTERFACE", hook.iface());
        env.put("DEVICE", hook.device() == null ? "" : hook.device());
        env.put("FAMILY", hook.family().id());
        env.put("FIRSTCONNECT", hook.firstConnect() ? "1" : "0");
        env.put("MWAN4_SHUTDOWN", hook.shutdown() ? "1" : "0");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readNBytes(64 * 1024);
                } catch (java.io.IOException e) {
                    return new byte[0];
                }
            }, pool);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // the script first, then what it started: killing a child first would let the script run on
                List<ProcessHandle> children = p.descendants().toList();
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                return new Outcome(hook, -1, true, "", "killed after " + timeout.toMillis() + " ms");
            }
            String text = new String(out.get(1, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8);
            return new Outcome(hook, p.exitValue(), false, text, null);
        } catch (Exception e) {
            return new Outcome(hook, -1, false, "", script + ": " + e.getMessage());
        }
    }

    /**
     * Waits until every queued run has ended, at most {@code limit} (at stop: shutdown hooks get a moment to
     * run, the daemon still exits on time). Returns whether all ended.
     */
    public boolean awaitIdle(Duration limit) {
        CompletableFuture<?>[] all;
        synchronized (this) {
            all = tails.values().toArray(CompletableFuture[]::new);
        }
        try {
            CompletableFuture.allOf(all).get(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

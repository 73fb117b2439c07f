package org.mwan4.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One forked command of the lab ({@code ip}, {@code nft}, {@code sysctl}), with optional stdin and a hard
 * timeout. The lab may fork these; mwan4's own code never does.
 *
 * @param argv    the command and its arguments
 * @param stdin   text fed to the command's standard input ({@code ""} for none)
 * @param timeout how long before the process is killed
 */
public record HostCommand(List<String> argv, String stdin, Duration timeout) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    public HostCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    public static HostCommand of(String... argv) {
        return new HostCommand(List.of(argv), "", DEFAULT_TIMEOUT);
    }

    public HostCommand withStdin(String text) {
        return new HostCommand(argv, text, timeout);
    }

    /** Exit code and the merged stdout+stderr text. */
    public record Result(int code, String output) {
        public boolean ok() {
            return code == 0;
        }
    }

    /** Runs the command; throws {@link LabException} with the command, exit code, output and stdin on failure. */
    public String run() {
        Result r = attempt();
        if (!r.ok()) {
            throw new LabException(this + " failed (exit " + r.code() + "): " + r.output().strip()
                    + (stdin.isEmpty() ? "" : "\n--- input ---\n" + stdin));
        }
        return r.output();
    }

    /** Runs the command and returns whatever happened; never throws for a non-zero exit. */
    public Result attempt() {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LabException("cannot start " + this + ": " + e.getMessage() + " (is it installed and on PATH?)", e);
        }
        // read output concurrently so a chatty command never blocks on a full pipe
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
                r -> Thread.ofVirtual().name("lab-cmd-out").start(r));
        try {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command exited before reading its input; its output says why
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LabException(this + " did not finish within " + timeout.toMillis() + " ms; killed it");
            }
            String text = new String(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), text);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + this, e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new LabException("cannot read the output of " + this + ": " + e, e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("(output unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return "`" + String.join(" ", argv) + "`";
    }
}

package org.mwan4.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace for one test: {@code ip netns add mwan4t-<random>}, removed on close.
 * Tests fork {@code ip}/{@code nft} here to prepare and inspect; the code under test must not.
 */
public final class TestNetns implements AutoCloseable {
    private final String name;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Skips the calling test (with a clear reason) when not root or namespaces are unavailable. */
    public static TestNetns create(String purpose) {
        assumeTrue(isRoot(), "needs root for network namespaces (real-kernel test skipped)");
        String n = "mwan4t-" + purpose + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        if (n.length() > 40) {
            n = n.substring(0, 40);
        }
        run("ip", "netns", "add", n);
        TestNetns ns = new TestNetns(n);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace ({@code ip netns exec NAME ...}); fails the test on non-zero exit. */
    public String exec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** Like {@link #exec} but returns the exit code and never fails. */
    public Result tryExec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return runResult(full.toArray(String[]::new));
    }

    /** Feeds {@code stdin} to {@code nft -f -} inside the namespace. */
    public String nft(String script) {
        Result r = runWithInput(script, "ip", "netns", "exec", name, "nft", "-f", "-");
        if (r.code() != 0) {
            throw new AssertionError("nft -f failed (" + r.code() + "): " + r.output() + "\nscript:\n" + script);
        }
        return r.output();
    }

    @Override
    public void close() {
        runResult("ip", "netns", "del", name);
    }

    public record Result(int code, String output) {}

    public static String run(String... cmd) {
        Result r = runResult(cmd);
        if (r.code() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.output());
        }
        return r.output();
    }

    public static Result runResult(String... cmd) {
        return runWithInput(null, cmd);
    }

    public static Result runWithInput(String stdin, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

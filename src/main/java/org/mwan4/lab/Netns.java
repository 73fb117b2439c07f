package org.mwan4.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mwan4.kernel.NetnsThread;

/**
 * One namespace of the lab, by name: forks {@code ip}/{@code nft}/{@code sysctl} in it, and runs Java code on a
 * {@link NetnsThread} inside it so sockets opened there belong to it.
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private NetnsThread thread;

    Netns(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Equals {@code ip -n NAME ARGS...}; returns its output, throws {@link LabException} on failure. */
    public String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(List.of(args));
        return new HostCommand(argv, "", HostCommand.DEFAULT_TIMEOUT).run();
    }

    /** Equals {@code ip -n NAME -batch -} with one command per line. */
    public void ipBatch(List<String> lines) {
        HostCommand.of("ip", "-n", name, "-batch", "-").withStdin(String.join("\n", lines) + "\n").run();
    }

    /** Equals {@code ip netns exec NAME nft -f -} fed with {@code script}: one atomic nft transaction. */
    public void nft(String script) {
        exec("nft", "-f", "-").withStdin(script).run();
    }

    /** Equals {@code ip netns exec NAME sysctl -q -w A=B ...}. */
    public void sysctl(List<String> assignments) {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        argv.addAll(assignments);
        exec(argv.toArray(String[]::new)).run();
    }

    /** {@code ip netns exec NAME ARGV...} as a command to run or attempt. */
    public HostCommand exec(String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(argv));
        return new HostCommand(full, "", HostCommand.DEFAULT_TIMEOUT);
    }

    /**
     * Device state as {@code ip -n NAME -o link show dev DEV} prints it: admin up, carrier ({@code LOWER_UP};
     * a veth loses it when its peer goes down) and the operstate.
     */
    public LinkState link(String device) {
        return LinkState.parse(device, ip("-o", "link", "show", "dev", device));
    }

    /** Runs {@code work} on a thread inside this namespace (created on first use); sockets it opens live here. */
    public synchronized <T> T inside(Callable<T> work) {
        if (thread == null) {
            thread = NetnsThread.enter(name);
        }
        return thread.call(work);
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.close();
            thread = null;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A device's flags as the kernel reports them. */
    public record LinkState(String device, boolean adminUp, boolean carrier, String operstate) {
        /** Parses one line of {@code ip -o link show}: {@code 3: wan1@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 ... state DOWN ...}. */
        static LinkState parse(String device, String line) {
            int lt = line.indexOf('<');
            int gt = line.indexOf('>', lt + 1);
            if (lt < 0 || gt < 0) {
                throw new LabException("cannot read the flags of " + device + " from: " + line.strip());
            }
            List<String> flags = List.of(line.substring(lt + 1, gt).split(","));
            String[] words = line.substring(gt + 1).trim().split("\\s+");
            String state = "UNKNOWN";
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("state")) {
                    state = words[i + 1];
                }
            }
            return new LinkState(device, flags.contains("UP"), flags.contains("LOWER_UP"), state);
        }
    }
}

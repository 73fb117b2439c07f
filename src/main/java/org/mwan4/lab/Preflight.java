package org.mwan4.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Can this process build a lab? Says why not, in words a user can act on. */
public final class Preflight {
    private static final int CAP_NET_ADMIN = 12; // linux/capability.h
    private static final int CAP_NET_RAW = 13;   // linux/capability.h
    private static final int CAP_SYS_ADMIN = 21; // linux/capability.h (setns, ip netns add)

    private Preflight() {}

    /** The problems in the way of a lab; empty when it can be built. */
    public static List<String> problems() {
        List<String> out = new ArrayList<>();
        long caps = effectiveCapabilities();
        long need = (1L << CAP_SYS_ADMIN) | (1L << CAP_NET_ADMIN) | (1L << CAP_NET_RAW);
        if ((caps & need) != need) {
            out.add("needs root (capabilities CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_NET_RAW) to create network namespaces;"
                    + " run as root, e.g. with sudo");
        }
        if (!Files.exists(Path.of("/proc/self/ns/net"))) {
            out.add("this kernel has no network namespaces (/proc/self/ns/net is missing)");
        }
        for (String tool : List.of("ip", "nft", "sysctl")) {
            if (!onPath(tool)) {
                out.add("`" + tool + "` not found on PATH (install iproute2, nftables, procps)");
            }
        }
        return out;
    }

    /** CapEff from /proc/self/status; 0 when unreadable. */
    static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}

package org.mwan4.runtime;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Config;
import org.mwan4.config.Interface;
import org.mwan4.core.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup v2 directories {@code mwan4 use IFACE CMD} runs commands in: {@code <cgroup2 mount>/<use_cgroup>/<iface>}
 * for every enabled interface ({@code <use_cgroup>/<netns>/<iface>} for a daemon in a named network namespace, so
 * daemons of two namespaces never share or remove each other's), made at start and at each reload. What exists goes to
 * the reducer as a {@link Event.UseCgroupsPrepared}, so the planner only writes {@code socket cgroupv2} rules for
 * directories that exist (nft refuses a rule naming a missing one). {@link #close()} removes them when the daemon
 * removes its rules (not with --keep-rules, whose kept rules still name them; a later start finds and reuses them).
 * A cgroup that still holds processes cannot be removed and stays, with a warning. Thread-safe: start and reload may
 * call it from different threads.
 *
 * <p>nft 1.0.6 finds a {@code socket cgroupv2 level N "PATH"} cgroup by stat()ing {@code /sys/fs/cgroup/PATH}, and N
 * counts from the cgroup2 root; so the mount must be at or below /sys/fs/cgroup (OpenWrt: /sys/fs/cgroup; hybrid
 * layouts: /sys/fs/cgroup/unified).
 */
public final class UseCgroupDirs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UseCgroupDirs.class);
    /** Where nft 1.0.6 resolves {@code socket cgroupv2} paths (a fixed prefix in its source, src/evaluate.c). */
    public static final Path NFT_ROOT = Path.of("/sys/fs/cgroup");
    public static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final java.util.regex.Pattern SAFE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private final Path mountinfo;
    private final Path nftRoot;
    private final String netns;
    /** Every directory prepare() made or found, parents before children (so reversed is deepest first). */
    private final java.util.LinkedHashSet<Path> owned = new java.util.LinkedHashSet<>();

    /**
     * @param mountinfo where to find the cgroup2 mount
     * @param nftRoot   the directory nft resolves {@code socket cgroupv2} paths under
     * @param netns     the daemon's network namespace (its cgroups go one level deeper, under its name), null for none
     */
    public UseCgroupDirs(Path mountinfo, Path nftRoot, String netns) {
        this.mountinfo = mountinfo;
        this.nftRoot = nftRoot;
        this.netns = netns;
    }

    public UseCgroupDirs(Path mountinfo, Path nftRoot) {
        this(mountinfo, nftRoot, null);
    }

    /** The host's cgroup2 mount, for a daemon in {@code netns} (null: the process's own namespace). */
    public static UseCgroupDirs system(String netns) {
        return new UseCgroupDirs(MOUNTINFO, NFT_ROOT, netns);
    }

    /**
     * Makes the directories of {@code config}'s enabled interfaces (like {@code mkdir -p /sys/fs/cgroup/mwan4/wan}) and
     * says which exist. Never throws: what went wrong is the event's {@code problem} (nothing usable) or a warning
     * (one interface left out).
     */
    public synchronized Event.UseCgroupsPrepared prepare(Config config, Instant at) {
        String base = config.globals().useCgroup();
        if (netns != null) {
            if (!SAFE_NAME.matcher(netns).matches()) {
                return failed(at, "the network namespace name '" + netns + "' cannot be a cgroup directory name");
            }
            base = base + "/" + netns;
        }
        Optional<Path> mount;
        try {
            mount = cgroup2Mount(Files.readString(mountinfo));
        } catch (IOException e) {
            return failed(at, "cannot read " + mountinfo + " to find the cgroup2 mount: " + e.getMessage());
        }
        if (mount.isEmpty()) {
            return failed(at, "cgroup2 is not mounted (no cgroup2 line in " + mountinfo + ")");
        }
        if (!mount.get().startsWith(nftRoot)) {
            return failed(at, "cgroup2 is mounted at " + mount.get() + ", outside " + nftRoot
                    + " where nft looks up socket cgroupv2 paths");
        }
        Path ours = mount.get().resolve(config.globals().useCgroup());
        Path dir = mount.get().resolve(base);
        String nftPath = nftRoot.relativize(dir).toString();
        int level = Path.of(base).getNameCount() + 1;
        try {
            mkdirs(mount.get(), ours, dir);
        } catch (IOException e) {
            return failed(at, "cannot create the cgroup directory " + dir + ": " + message(e));
        }
        List<String> ready = new ArrayList<>();
        for (Interface i : config.interfaces()) {
            if (!i.enabled()) {
                continue;
            }
            try {
                mkdirs(mount.get(), ours, dir.resolve(i.name()));
                ready.add(i.name());
            } catch (IOException e) {
                LOG.warn("mwan4 use {}: cannot create the cgroup directory {}: {}; that interface cannot be used",
                        i.name(), dir.resolve(i.name()), message(e));
            }
        }
        return new Event.UseCgroupsPrepared(at, dir.toString(), nftPath, level, ready, "");
    }

    /**
     * Removes the directories {@link #prepare} made or found, deepest first (like {@code rmdir}). One that still has
     * a cgroup below it (another namespace's daemon shares {@code use_cgroup}) is left quietly; one that still holds
     * processes stays with a warning.
     */
    @Override
    public synchronized void close() {
        for (Path p : new ArrayList<>(owned).reversed()) {
            if (!Files.isDirectory(p) || hasSubdirectory(p)) {
                continue;
            }
            try {
                Files.delete(p);
            } catch (IOException e) {
                // EBUSY: a command started with mwan4 use still runs in it
                LOG.warn("cannot remove the mwan4 use cgroup {}: {}; a command run with mwan4 use may still run there;"
                        + " it stays", p, message(e));
            }
        }
        owned.clear();
    }

    private static boolean hasSubdirectory(Path dir) {
        try (var list = Files.list(dir)) {
            return list.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The mount point of the first cgroup2 file system in a {@code /proc/self/mountinfo} text: the fifth field of the
     * line whose file system type (first field after " - ") is {@code cgroup2}; octal escapes ({@code \040}) decoded.
     */
    static Optional<Path> cgroup2Mount(String mountinfoText) {
        for (String line : mountinfoText.split("\n")) {
            int dash = line.indexOf(" - ");
            String[] f = line.split(" ");
            if (dash < 0 || f.length < 5) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2")) {
                return Optional.of(Path.of(unescape(f[4])));
            }
        }
        return Optional.empty();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * {@code mkdir -p} below the cgroup2 mount (in cgroupfs a mkdir is a new cgroup). Owns what it makes, and what it
     * finds at or below {@code ours} (the use_cgroup directory: a restart after kill -9 or --keep-rules finds its own),
     * never a parent of that it did not make.
     */
    private void mkdirs(Path mount, Path ours, Path dir) throws IOException {
        Path at = mount;
        for (Path name : mount.relativize(dir)) {
            at = at.resolve(name);
            boolean made = false;
            if (!Files.isDirectory(at)) {
                Files.createDirectory(at);
                made = true;
            }
            if (made || at.startsWith(ours)) {
                owned.add(at);
            }
        }
    }

    private static Event.UseCgroupsPrepared failed(Instant at, String problem) {
        return new Event.UseCgroupsPrepared(at, "", "", 0, List.of(), problem);
    }

    private static String message(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }
}

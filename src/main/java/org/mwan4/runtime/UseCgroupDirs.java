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
 * for every enabled interface, made at start and at each reload, and removed at stop (those this daemon made; a cgroup
 * that still holds processes cannot be removed and stays, with a warning). What was made goes to the reducer as a
 * {@link Event.UseCgroupsPrepared}, so the planner only writes {@code socket cgroupv2} rules for directories that exist
 * (nft refuses a rule naming a missing one). Thread-safe: start and reload may call it from different threads.
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

    private final Path mountinfo;
    private final Path nftRoot;
    private final List<Path> made = new ArrayList<>();

    /** @param mountinfo where to find the cgroup2 mount; @param nftRoot the directory nft resolves paths under */
    public UseCgroupDirs(Path mountinfo, Path nftRoot) {
        this.mountinfo = mountinfo;
        this.nftRoot = nftRoot;
    }

    public static UseCgroupDirs system() {
        return new UseCgroupDirs(MOUNTINFO, NFT_ROOT);
    }

    /**
     * Makes the directories of {@code config}'s enabled interfaces (like {@code mkdir -p /sys/fs/cgroup/mwan4/wan}) and
     * says which exist. Never throws: what went wrong is the event's {@code problem} (nothing usable) or a warning
     * (one interface left out).
     */
    public synchronized Event.UseCgroupsPrepared prepare(Config config, Instant at) {
        String base = config.globals().useCgroup();
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
        Path dir = mount.get().resolve(base);
        String nftPath = nftRoot.relativize(dir).toString();
        int level = Path.of(base).getNameCount() + 1;
        try {
            mkdirs(dir);
        } catch (IOException e) {
            return failed(at, "cannot create the cgroup directory " + dir + ": " + message(e));
        }
        List<String> ready = new ArrayList<>();
        for (Interface i : config.interfaces()) {
            if (!i.enabled()) {
                continue;
            }
            try {
                mkdirs(dir.resolve(i.name()));
                ready.add(i.name());
            } catch (IOException e) {
                LOG.warn("mwan4 use {}: cannot create the cgroup directory {}: {}; that interface cannot be used",
                        i.name(), dir.resolve(i.name()), message(e));
            }
        }
        return new Event.UseCgroupsPrepared(at, dir.toString(), nftPath, level, ready, "");
    }

    /** Removes the directories this object made, deepest first (like {@code rmdir}); busy ones stay. */
    @Override
    public synchronized void close() {
        for (Path p : made.reversed()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // EBUSY: a command started with mwan4 use still runs in it (or someone made a cgroup below it)
                LOG.warn("cannot remove the mwan4 use cgroup {}: {}; it stays", p, message(e));
            }
        }
        made.clear();
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

    /** {@code mkdir -p}, remembering each directory it made (in cgroupfs a mkdir is a new cgroup). */
    private void mkdirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            mkdirs(dir.getParent());
        }
        Files.createDirectory(dir);
        made.add(dir);
    }

    private static Event.UseCgroupsPrepared failed(Instant at, String problem) {
        return new Event.UseCgroupsPrepared(at, "", "", 0, List.of(), problem);
    }

    private static String message(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }
}

package org.mwan4.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finding and deleting lab namespaces: those of a closing lab, and those of labs whose owner is gone. */
final class Leftovers {
    static final Path NETNS_DIR = Path.of("/var/run/netns");

    private Leftovers() {}

    /** Whether {@code ip netns add NAME} made a namespace of this name (and nobody deleted it since). */
    static boolean exists(String name) {
        return Files.exists(NETNS_DIR.resolve(name));
    }

    /** Whether any namespace name starts with {@code prefix}. */
    static boolean anyStartsWith(String prefix) {
        try (Stream<Path> s = Files.exists(NETNS_DIR) ? Files.list(NETNS_DIR) : Stream.empty()) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    /** Equals {@code ip netns del NAME} when it exists; empty on success or when already gone, else the reason. */
    static Optional<String> delete(String name) {
        if (!exists(name)) {
            return Optional.empty();
        }
        HostCommand.Result r = HostCommand.of("ip", "netns", "del", name).attempt();
        return r.ok() || !exists(name) ? Optional.empty() : Optional.of(name + ": " + r.output().strip());
    }

    /** Owner files of labs whose owner is gone and whose namespaces were removed by hand (e.g. a kept lab). */
    private static void forgetDeadOwners(String prefix, Path ownerDir) {
        Pattern file = Pattern.compile("(" + Pattern.quote(prefix) + "[0-9a-f]{6})\\.owner");
        try (Stream<Path> s = Files.isDirectory(ownerDir) ? Files.list(ownerDir) : Stream.empty()) {
            s.map(p -> file.matcher(p.getFileName().toString())).filter(Matcher::matches).map(m -> m.group(1))
                    .filter(id -> !LabOwner.isAlive(ownerDir, id)).forEach(id -> LabOwner.forget(ownerDir, id));
        } catch (IOException e) {
            // owner files are hints; an unreadable directory only means stale hints stay
        }
    }

    /** See {@link Lab#removeLeftovers(String, Path)}. */
    static List<String> remove(String prefix, Path ownerDir) {
        Pattern lab = Pattern.compile("(" + Pattern.quote(prefix) + "[0-9a-f]{6})-(?:lan|router|inet|isp[0-9]+)");
        TreeMap<String, List<String>> byLab = new TreeMap<>();
        try (Stream<Path> s = Files.exists(NETNS_DIR) ? Files.list(NETNS_DIR) : Stream.empty()) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> {
                Matcher m = lab.matcher(n);
                if (m.matches()) {
                    byLab.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(n);
                }
            });
        } catch (IOException e) {
            throw new LabException("cannot list " + NETNS_DIR + ": " + e.getMessage(), e);
        }
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        byLab.forEach((id, names) -> {
            if (LabOwner.isAlive(ownerDir, id)) {
                return;
            }
            for (String n : names) {
                delete(n).ifPresentOrElse(failures::add, () -> removed.add(n));
            }
            LabOwner.forget(ownerDir, id);
        });
        forgetDeadOwners(prefix, ownerDir);
        if (!failures.isEmpty()) {
            throw new LabException("could not remove leftover namespaces: " + String.join("; ", failures));
        }
        return removed;
    }
}

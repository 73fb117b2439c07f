package org.mwan4.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may change things (POST): root, the daemon's own user, and members of the socket's group. Everyone who
 * can open the socket (mode 0660: owner and group) may read. The peer is known from SO_PEERCRED (uid, gid, pid
 * of the connecting process); its supplementary groups come from {@code /proc/<pid>/status}, because
 * SO_PEERCRED carries only the primary group.
 *
 * @param privilegedUids uids that may always POST (0 and the daemon's uid)
 * @param group          the socket's group id, or -1 for none
 * @param groupName      its name for messages
 */
record Access(Set<Integer> privilegedUids, int group, String groupName) {

    Access {
        privilegedUids = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(privilegedUids));
    }

    /** What SO_PEERCRED said about the other end of a connection. */
    record Peer(int pid, int uid, int gid) {}

    /** Whether the peer may POST; {@code supplementary} are its extra groups (empty when unknown). */
    boolean mayWrite(Peer peer, Set<Integer> supplementary) {
        return privilegedUids.contains(peer.uid()) || (group >= 0 && (peer.gid() == group || supplementary.contains(group)));
    }

    /** Why a peer may not POST, for the 403 answer. */
    String denial(Peer peer) {
        String who = group >= 0 ? "root or members of group " + groupName : "root";
        return "uid " + peer.uid() + " may only read; changing mwan4 needs " + who;
    }

    /** The {@code Groups:} line of {@code /proc/<pid>/status}; empty when the process is gone or unreadable. */
    static Set<Integer> supplementaryGroups(int pid) {
        Set<Integer> out = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Groups:")) {
                    Arrays.stream(line.substring(7).trim().split("\\s+")).filter(s -> !s.isEmpty())
                            .forEach(s -> out.add(Integer.parseInt(s)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Set.of();
        }
        return out;
    }

    /** The uid this process runs as ({@code /proc/self} is owned by it). */
    static Optional<Integer> ownUid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}

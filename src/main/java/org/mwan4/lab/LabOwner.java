package org.mwan4.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The file {@code DIR/<labId>.owner} says which process owns a lab: {@code <pid> <start-epoch-ms>}. A lab whose
 * owner process is gone (or whose pid now belongs to a later process) is a leftover of a crashed run; a lab whose
 * owner still runs is someone's live lab and must not be removed.
 */
record LabOwner(Path file) {

    static LabOwner claim(Path dir, String labId) {
        Path file = dir.resolve(labId + ".owner");
        ProcessHandle me = ProcessHandle.current();
        long start = me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, me.pid() + " " + start + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabException("cannot write the lab owner file " + file + ": " + e.getMessage()
                    + " (the lab needs root; choose another directory with Lab.builder().ownerDir(...))", e);
        }
        return new LabOwner(file);
    }

    /** True when the lab's owner file names a process that is still running. */
    static boolean isAlive(Path dir, String labId) {
        Path file = dir.resolve(labId + ".owner");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return false;
        }
        String[] parts = text.split(" ");
        if (parts.length != 2) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isPresent() && p.get().isAlive()
                    && p.get().info().startInstant().map(i -> start == 0 || i.toEpochMilli() == start).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static void forget(Path dir, String labId) {
        try {
            Files.deleteIfExists(dir.resolve(labId + ".owner"));
        } catch (IOException e) {
            // a stale owner file is harmless: its pid is gone, so the next removeLeftovers treats it as stale
        }
    }

    void release() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // harmless, see forget
        }
    }
}

package org.mwan4.api;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The socket's file: a leftover of a crashed daemon is replaced, a live daemon's socket or a file that is not a
 * socket is never touched; after bind it gets mode 0660 and the configured group; on close it is removed only if
 * it is still the one we created (same inode).
 */
final class SocketFile {
    private static final int S_IFMT = 0170000; // sys/stat.h
    private static final int S_IFSOCK = 0140000;

    private SocketFile() {}

    /**
     * Makes {@code path} free to bind: creates the directory, removes a stale socket nobody listens on.
     *
     * @throws IOException naming the path when another daemon answers on it or it is not a socket
     */
    static void prepare(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket; not replacing it (move it away or choose "
                    + "another --socket)");
        }
        if (answers(path)) {
            throw new IOException("another mwan4 is already serving on " + path + "; stop it first");
        }
        Files.deleteIfExists(path); // stale: left behind by a daemon that did not shut down
    }

    /** Whether something accepts connections on the socket. */
    static boolean answers(Path path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code chmod 0660 path; chgrp group path}; returns the socket's group id and its inode. */
    static Bound secure(Path path, Optional<String> group) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        if (group.isPresent()) {
            GroupPrincipal g;
            try {
                g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group.get());
            } catch (IOException e) {
                throw new IOException("socket group '" + group.get() + "' does not exist (" + e.getMessage() + ")", e);
            }
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
        }
        int gid = (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        long ino = (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        return new Bound(gid, ino);
    }

    /** What {@link #secure} set up: the group that may POST and the inode that identifies our file. */
    record Bound(int gid, long inode) {}

    /** Removes the socket file if it still is ours (a newer daemon may have replaced it). */
    static void remove(Path path, long inode) {
        try {
            long now = (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (now == inode) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // already gone: nothing to clean up
        }
    }
}

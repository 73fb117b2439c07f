package org.mwan4.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reading and replacing config files for the commands. UCI files are bytes: text that is not UTF-8 is read
 * as ISO-8859-1 so that a rewrite gives back every byte it did not change.
 */
record ConfigFile(Path path, String text, Charset charset) {

    /** Reads a file; a missing or unreadable file is a {@link UsageException} naming it. */
    static ConfigFile read(Path path, String what) throws UsageException {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new UsageException(what + " '" + path + "' is a directory, not a file");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UsageException(what + " '" + path + "' does not exist");
        } catch (AccessDeniedException e) {
            throw new UsageException(what + " '" + path + "' is not readable (permission denied)");
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + " '" + path + "': " + e.getMessage());
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new ConfigFile(path, text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return new ConfigFile(path, new String(bytes, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Replaces the file's content atomically: a temp file in the same directory (same permissions), flushed
     * to disk, then renamed over the original, so a reader sees the old or the new file, never half of one.
     */
    void replace(String newText) throws IOException {
        Path target = path.toRealPath(); // through a symlink, as uci does, so the link stays a link
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(newText.getBytes(charset));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (view != null) {
                Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
            } else {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

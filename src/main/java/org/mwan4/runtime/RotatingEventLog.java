package org.mwan4.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;
import org.mwan4.core.LoggedEvent;

/**
 * The event log as JSON Lines with size-based rotation: when the next line would push {@code events.jsonl}
 * past {@code maxBytes}, it becomes {@code events.jsonl.1} (older ones shift to {@code .2}, ...; the oldest
 * beyond {@code keep} files is deleted) and a new file starts. A line is never split across files.
 *
 * <p>A daemon restart appends to the existing file; sequence numbers start at 1 again with the new run's
 * {@code ConfigLoaded}, which is where a replay of that run begins.
 */
public final class RotatingEventLog implements EventJournal {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final Function<LoggedEvent, String> encoder;
    private FileChannel channel;
    private long size;
    private long written;

    /**
     * @param maxBytes size at which the file is rotated (at least one line always fits)
     * @param keep     how many files to keep in all, the current one included (at least 1)
     * @param encoder  one event as one JSON line without the newline
     */
    public RotatingEventLog(Path file, long maxBytes, int keep, Function<LoggedEvent, String> encoder) throws IOException {
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("event log " + file + ": max size " + maxBytes + " and files kept " + keep
                    + " must be positive");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.encoder = encoder;
        open();
    }

    private void open() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    @Override
    public synchronized void append(LoggedEvent event) throws IOException {
        byte[] line = (encoder.apply(event) + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        size += line.length;
        written += line.length;
    }

    /** {@code mv events.jsonl.(k-1) events.jsonl.k} down to {@code mv events.jsonl events.jsonl.1}. */
    private void rotate() throws IOException {
        channel.close();
        Files.deleteIfExists(numbered(keep - 1));
        for (int k = keep - 2; k >= 1; k--) {
            if (Files.exists(numbered(k))) {
                Files.move(numbered(k), numbered(k + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep > 1) {
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        open();
    }

    /** {@code events.jsonl.k}; {@code k == 0} is the current file. */
    public Path numbered(int k) {
        return k == 0 ? file : file.resolveSibling(file.getFileName() + "." + k);
    }

    @Override
    public synchronized long bytesWritten() {
        return written;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}

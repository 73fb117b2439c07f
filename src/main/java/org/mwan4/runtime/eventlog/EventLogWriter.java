package org.mwan4.runtime.eventlog;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mwan4.core.LoggedEvent;

/**
 * Appends events to an event log, one JSON line each (UTF-8, {@code \n}). Sequence numbers are the caller's
 * and must increase. {@link #flush()} makes what was appended durable enough for a crash to lose at most
 * the last, half-written line (which a reader reports and stops at).
 */
public final class EventLogWriter implements Closeable, Flushable {
    private final Writer out;
    private final EventEncoder encoder = new EventEncoder();
    private long lastSeq;

    public EventLogWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    /** Opens (creating if needed) a log for appending; {@code lastSeq} is the last sequence number already in it (0: none). */
    public static EventLogWriter append(Path file, long lastSeq) throws IOException {
        EventLogWriter w = new EventLogWriter(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE));
        w.lastSeq = lastSeq;
        return w;
    }

    /** Writes one line. @throws IllegalArgumentException when {@code seq} does not increase */
    public void append(LoggedEvent event) throws IOException {
        if (event.seq() <= lastSeq) {
            throw new IllegalArgumentException("event log: seq " + event.seq() + " is not greater than the last one written ("
                    + lastSeq + "); not written");
        }
        out.write(encoder.encode(event));
        out.write('\n');
        lastSeq = event.seq();
    }

    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package org.mwan4.runtime.eventlog;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.core.LoggedEvent;

/**
 * Reads an event log line by line, yielding (seq, event). Blank lines are skipped. The first bad line stops
 * the reader with an {@link EventLogException} naming the place: {@code events.jsonl:123: unknown event type
 * 'linkup'}; sequence numbers must increase.
 */
public final class EventLogReader implements Closeable {
    private final String source;
    private final InputStream in;
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream(256);
    // Malformed UTF-8 is an error on its own line, not silently replaced text.
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final EventDecoder decoder = new EventDecoder();
    private long lineNo;
    private long lastSeq;

    /** @param source how messages name the log, e.g. {@code events.jsonl} */
    public EventLogReader(String source, InputStream in) {
        this.source = source;
        this.in = new BufferedInputStream(in);
    }

    public static EventLogReader open(Path file) throws IOException {
        return new EventLogReader(file.toString(), Files.newInputStream(file));
    }

    /** The next event, or empty at the end of the log. */
    public Optional<LoggedEvent> next() throws EventLogException, IOException {
        while (true) {
            byte[] raw = readLine();
            if (raw == null) {
                return Optional.empty();
            }
            lineNo++;
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new EventLogException(source, lineNo, "not UTF-8 text");
            }
            if (line.isBlank()) {
                continue;
            }
            LoggedEvent e;
            try {
                e = decoder.decode(line);
            } catch (BadField bad) {
                throw new EventLogException(source, lineNo, bad.getMessage());
            }
            if (e.seq() <= lastSeq) {
                throw new EventLogException(source, lineNo, "seq " + e.seq() + " is not greater than the previous one (" + lastSeq + ")");
            }
            lastSeq = e.seq();
            return Optional.of(e);
        }
    }

    /** The bytes of the next line without its {@code \n} (and a {@code \r} before it), null at the end. */
    private byte[] readLine() throws IOException {
        lineBytes.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            lineBytes.write(b);
            b = in.read();
        }
        byte[] out = lineBytes.toByteArray();
        return out.length > 0 && out[out.length - 1] == '\r' ? java.util.Arrays.copyOf(out, out.length - 1) : out;
    }

    /** Every event up to the first bad line, and that line's error if there was one. */
    public record ReadResult(List<LoggedEvent> events, Optional<EventLogException> error) {
        public ReadResult {
            events = List.copyOf(events);
        }
    }

    public ReadResult readAll() throws IOException {
        List<LoggedEvent> events = new ArrayList<>();
        try {
            for (Optional<LoggedEvent> e = next(); e.isPresent(); e = next()) {
                events.add(e.get());
            }
            return new ReadResult(events, Optional.empty());
        } catch (EventLogException bad) {
            return new ReadResult(events, Optional.of(bad));
        }
    }

    /** Reads a whole log file (see {@link #readAll()}). */
    public static ReadResult readAll(Path file) throws IOException {
        try (EventLogReader r = open(file)) {
            return r.readAll();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

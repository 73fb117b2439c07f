package org.mwan4.runtime.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;

class EventLogFileTest {
    @TempDir
    Path dir;

    static List<LoggedEvent> events(long from, int n) {
        ArbitraryEvents gen = new ArbitraryEvents(from);
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new LoggedEvent(from + i, gen.any()));
        }
        return out;
    }

    @Test
    void appendFlushReopenAndReadBack() throws IOException {
        Path log = dir.resolve("events.jsonl");
        List<LoggedEvent> first = events(1, 3);
        try (EventLogWriter w = EventLogWriter.append(log, 0)) {
            for (LoggedEvent e : first) {
                w.append(e);
            }
            w.flush();
            assertThat(Files.readAllLines(log)).hasSize(3);
        }
        List<LoggedEvent> second = events(4, 2);
        try (EventLogWriter w = EventLogWriter.append(log, 3)) {
            for (LoggedEvent e : second) {
                w.append(e);
            }
        }
        EventLogReader.ReadResult all = EventLogReader.readAll(log);
        assertThat(all.error()).isEmpty();
        List<LoggedEvent> expected = new ArrayList<>(first);
        expected.addAll(second);
        assertThat(all.events()).isEqualTo(expected);
    }

    @Test
    void theWriterRefusesASequenceNumberThatDoesNotIncrease() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventLogWriter w = new EventLogWriter(out)) {
            w.append(new LoggedEvent(5, new Event.Ticked(Instant.EPOCH)));
            assertThatThrownBy(() -> w.append(new LoggedEvent(5, new Event.Ticked(Instant.EPOCH))))
                    .hasMessage("event log: seq 5 is not greater than the last one written (5); not written");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"seq\":5,\"type\":\"Ticked\",\"at\":\"1970-01-01T00:00:00Z\"}\n");
    }

    @Test
    void blankLinesAndCrlfAreFine() throws Exception {
        String log = "\n{\"seq\":1,\"type\":\"Ticked\",\"at\":\"1970-01-01T00:00:00Z\"}\r\n   \n{\"seq\":3,\"type\":\"Ticked\",\"at\":\"1970-01-01T00:00:01Z\"}";
        try (EventLogReader r = new EventLogReader("x.jsonl", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(r.next()).hasValueSatisfying(e -> assertThat(e.seq()).isEqualTo(1));
            assertThat(r.next()).hasValueSatisfying(e -> assertThat(e.seq()).isEqualTo(3));
            assertThat(r.next()).isEmpty();
        }
    }

    @Test
    void bytesThatAreNotUtf8AreReportedOnTheirLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"seq\":1,\"type\":\"Ticked\",\"at\":\"1970-01-01T00:00:00Z\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"seq\":2,\"type\":\"KernelApplyFailed\",\"at\":\"1970-01-01T00:00:00Z\",\"message\":\"".getBytes(StandardCharsets.UTF_8));
        b.write(0xC3);
        b.write(0x28);
        b.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        try (EventLogReader r = new EventLogReader("events.jsonl", new ByteArrayInputStream(b.toByteArray()))) {
            EventLogReader.ReadResult res = r.readAll();
            assertThat(res.events()).hasSize(1);
            assertThat(res.error()).hasValueSatisfying(e -> assertThat(e).hasMessage("events.jsonl:2: not UTF-8 text"));
        }
    }

    @Test
    void nonAsciiTextIsWrittenAsUtf8() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventLogWriter w = new EventLogWriter(out)) {
            w.append(new LoggedEvent(1, new Event.KernelApplyFailed(Instant.EPOCH, "é\n日本")));
        }
        assertThat(out.toByteArray()).containsSequence("é".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"message\":\"é\\n日本\"").endsWith("}\n");
    }
}

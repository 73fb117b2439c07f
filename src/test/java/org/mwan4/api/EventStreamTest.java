package org.mwan4.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import reactor.core.publisher.Sinks;

/**
 * GET /v1/events: order for a reader that keeps up, skip-ahead for one that does not, cleanup on disconnect.
 * The timeout interrupts a test blocked in a read (which closes its channel), so a server that never answers
 * fails the test instead of hanging the build.
 */
@Timeout(90)
class EventStreamTest {
    final ObjectMapper mapper = new ObjectMapper();

    @RegisterExtension
    final ServedFakeDaemon api = new ServedFakeDaemon();

    /** An SSE client on a raw socket that reads only when asked. */
    final class Reader implements AutoCloseable {
        final SocketChannel ch;
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        Reader() throws IOException {
            ch = UnixHttp.open(api.socket());
            ch.write(ByteBuffer.wrap("GET /v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        }

        /** Every complete frame so far as (event name, data JSON). */
        List<Frame> frames() throws IOException {
            byte[] all = raw.toByteArray();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int head = text.indexOf("\r\n\r\n");
            if (head < 0) {
                return List.of();
            }
            byte[] body = UnixHttp.dechunk(java.util.Arrays.copyOfRange(all, head + 4, all.length));
            List<Frame> out = new ArrayList<>();
            String s = new String(body, StandardCharsets.UTF_8);
            int from = 0;
            for (int end = s.indexOf("\n\n"); end >= 0; end = s.indexOf("\n\n", from)) {
                String block = s.substring(from, end);
                from = end + 2;
                if (block.startsWith(":")) {
                    continue;
                }
                String name = block.substring("event: ".length(), block.indexOf('\n'));
                out.add(new Frame(name, mapper.readTree(block.substring(block.indexOf("data: ") + 6))));
            }
            return out;
        }

        /** Reads until a frame satisfies {@code done}; fails after 30 s. */
        List<Frame> readUntil(Predicate<Frame> done) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                List<Frame> f = frames();
                if (f.stream().anyMatch(done)) {
                    return f;
                }
                buf.clear();
                if (ch.read(buf) < 0) {
                    throw new IOException("stream ended after " + f.size() + " frames");
                }
                raw.write(buf.array(), 0, buf.position());
            }
            throw new AssertionError("no matching frame within 30 s; got " + frames().size() + " frames");
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    record Frame(String event, JsonNode data) {
        long seq() {
            return data.path("seq").asLong(-1);
        }
    }

    void awaitSubscribers(int n) throws InterruptedException {
        for (int i = 0; i < 3000 && api.daemon().subscribers() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(api.daemon().subscribers()).isGreaterThanOrEqualTo(n);
    }

    static DaemonEvent.StatusChanged status(long seq, StatusSnapshot s) {
        return new DaemonEvent.StatusChanged(seq, Instant.parse("2025-06-01T12:00:00Z").plusMillis(seq), s);
    }

    static DaemonEvent.TransactionApplied transaction(long seq, int ops) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            list.add("replace chain mwan4_strategy_balanced_ipv4 (op " + i + " of event " + seq + ")");
        }
        return new DaemonEvent.TransactionApplied(seq, Instant.parse("2025-06-01T12:00:00Z").plusMillis(seq), list,
                Duration.ofMillis(3));
    }

    @Test
    void aReaderThatKeepsUpGetsTheCurrentStatusThenEveryEventInOrder() throws Exception {
        try (Reader r = new Reader()) {
            r.readUntil(f -> f.event().equals("status"));
            awaitSubscribers(2);
            api.daemon().emit(transaction(1, 2));
            api.daemon().emit(new DaemonEvent.TransactionFailed(2, Instant.parse("2025-06-01T12:00:01Z"), "nft rejected op 1 of 2"));
            api.daemon().emit(new DaemonEvent.Logged(3, Instant.parse("2025-06-01T12:00:02Z"), "WARN", "hook failed"));
            api.daemon().emit(status(4, ApiFixture.status()));
            List<Frame> frames = r.readUntil(f -> f.seq() == 4);
            assertThat(frames).extracting(Frame::event)
                    .containsExactly("status", "transaction", "transaction_failed", "log", "status");
            assertThat(frames.getFirst().seq()).isZero();
            assertThat(frames.get(1).data().get("ops")).hasSize(2);
            assertThat(frames.get(1).data().get("took_ms").asDouble()).isEqualTo(3.0);
            assertThat(frames.get(2).data().get("message").asText()).isEqualTo("nft rejected op 1 of 2");
            assertThat(frames.get(4).data().get("interfaces").get(0).get("name").asText()).isEqualTo("wan");
            assertThat(frames.get(4).data().get("strategies")).isNotEmpty();
        }
    }

    @Test
    void aStalledReaderNeverSlowsTheEmitterAndLaterSkipsAheadToTheLatestStatus() throws Exception {
        int rounds = 10_000;
        try (Reader r = new Reader()) {
            r.readUntil(f -> f.event().equals("status"));
            awaitSubscribers(2);
            // the reader now stops reading while the daemon emits a status and a 40-op transaction per round
            StatusSnapshot latest = ApiFixture.status();
            long start = System.nanoTime();
            long seq = 0;
            for (int i = 0; i < rounds; i++) {
                assertThat(api.daemon().emit(transaction(++seq, 40))).isEqualTo(Sinks.EmitResult.OK);
                assertThat(api.daemon().emit(status(++seq, latest))).isEqualTo(Sinks.EmitResult.OK);
            }
            Duration emitting = Duration.ofNanos(System.nanoTime() - start);
            long last = seq;
            List<Frame> frames = r.readUntil(f -> f.event().equals("status") && f.seq() == last);
            assertThat(frames.size()).as("frames delivered of %s emitted", 2 * rounds).isLessThan(2 * rounds);
            assertThat(frames).extracting(Frame::event).contains("lagged");
            Optional<Frame> lagged = frames.stream().filter(f -> f.event().equals("lagged")).findFirst();
            assertThat(lagged.orElseThrow().data().get("dropped").asLong()).isPositive();
            List<Long> statusSeqs = frames.stream().filter(f -> f.event().equals("status")).map(Frame::seq).toList();
            assertThat(statusSeqs).isSorted().endsWith(last);
            // emitting 20000 events into a stalled client is an enqueue each, never a wait on the socket
            assertThat(emitting).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aClientThatGoesAwayIsUnsubscribed() throws Exception {
        Reader r = new Reader();
        r.readUntil(f -> f.event().equals("status"));
        awaitSubscribers(2);
        r.close();
        for (int i = 0; i < 500 && api.daemon().subscribers() > 0; i++) {
            api.daemon().emit(transaction(i, 1)); // a write to the closed connection is what notices it
            Thread.sleep(10);
        }
        assertThat(api.daemon().subscribers()).isZero();
    }

    @Test
    void closingTheServerEndsTheStream() throws Exception {
        try (Reader r = new Reader()) {
            r.readUntil(f -> f.event().equals("status"));
            api.server().close();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int n = 0;
            while (n >= 0 && System.nanoTime() < deadline) {
                buf.clear();
                n = r.ch.read(buf);
            }
            assertThat(n).as("connection closed by the server").isEqualTo(-1);
        } finally {
            api.restart();
        }
    }
}

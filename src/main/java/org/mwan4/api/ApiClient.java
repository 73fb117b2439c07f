package org.mwan4.api;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The CLI's side of the socket: HTTP/1.1 over the Unix socket with Reactor Netty. A missing socket or one
 * nobody answers on is {@link NotRunning}, so commands can say "mwan4 is not running" and exit 3.
 */
public final class ApiClient {
    /** How long one request may take (the daemon answers from memory; only rule counters ask the kernel). */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Path socket;
    private final HttpClient http;

    public ApiClient(Path socket) {
        this.socket = socket;
        this.http = HttpClient.create(ConnectionProvider.newConnection())
                .remoteAddress(() -> new DomainSocketAddress(socket.toString()))
                .headers(h -> h.set(HttpHeaderNames.HOST, "localhost"));
    }

    public Path socket() {
        return socket;
    }

    /** Why the daemon could not be asked. */
    public abstract static sealed class Unreachable extends Exception permits NotRunning, Denied {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    /** The daemon is not there: no socket file, or nothing accepts connections on it. */
    public static final class NotRunning extends Unreachable {
        private static final long serialVersionUID = 1L;

        NotRunning(String message) {
            super(message);
        }
    }

    /** The socket exists but this user may not open it. */
    public static final class Denied extends Unreachable {
        private static final long serialVersionUID = 1L;

        Denied(String message) {
            super(message);
        }
    }

    /** One answer: HTTP status and body text. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Response get(String path) throws Unreachable {
        return call(HttpMethod.GET, path, null);
    }

    public Response post(String path, String body) throws Unreachable {
        return call(HttpMethod.POST, path, body == null ? "" : body);
    }

    private Response call(HttpMethod method, String path, String body) throws Unreachable {
        check();
        try {
            Mono<Response> r = http.request(method).uri(path)
                    .send(body == null ? ByteBufFlux.fromString(Flux.empty())
                            : ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, io.netty.buffer.ByteBufAllocator.DEFAULT))
                    .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                            .map(text -> new Response(res.status().code(), text)));
            Response out = r.block(TIMEOUT);
            if (out == null) {
                throw new NotRunning("the daemon closed the connection on " + socket + " without answering");
            }
            return out;
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * Reads {@code GET /v1/events} and hands every complete Server-Sent Event frame (without its trailing blank
     * line) to {@code frame}, one at a time: the next bytes are read only after the frame is handled, so a slow
     * terminal slows only this stream (the daemon skips it ahead).
     *
     * @param frame returns false to stop reading (the connection is closed)
     * @return true when {@code frame} stopped it, false when the daemon ended the stream (it went away)
     */
    public boolean events(Predicate<String> frame) throws Unreachable {
        check();
        try {
            Flux<String> chunks = http.get().uri("/v1/events")
                    .response((res, content) -> content.asString(StandardCharsets.UTF_8));
            StringBuilder pending = new StringBuilder();
            boolean[] started = {false};
            try (Stream<String> stream = chunks.toStream(4)) { // closing the stream cancels the request
                Iterator<String> it = stream.iterator();
                while (hasNext(it, started[0])) {
                    pending.append(it.next());
                    started[0] = true;
                    for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
                        String f = pending.substring(0, end);
                        pending.delete(0, end + 2);
                        if (!frame.test(f)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /** Whether more of a stream comes; a connection cut after the stream began is its end (the daemon stopped). */
    private static boolean hasNext(Iterator<String> it, boolean started) {
        try {
            return it.hasNext();
        } catch (RuntimeException e) {
            if (started) {
                return false;
            }
            throw e;
        }
    }

    private void check() throws NotRunning {
        if (!Files.exists(socket)) {
            throw new NotRunning("mwan4 is not running (no socket at " + socket + ")");
        }
    }

    private Unreachable failure(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String m = String.valueOf(cause.getMessage());
        if (m.contains("Permission denied") || m.contains("EACCES")) {
            return new Denied("cannot open " + socket + ": permission denied (the socket is for root and its group)");
        }
        if (m.contains("Connection refused") || m.contains("ECONNREFUSED") || m.contains("No such file")) {
            return new NotRunning("mwan4 is not running (nothing answers on " + socket + "; the file is left over)");
        }
        if (e instanceof IllegalStateException && m.contains("Timeout")) {
            return new NotRunning("mwan4 did not answer on " + socket + " within " + TIMEOUT.toSeconds() + " s");
        }
        return new NotRunning("cannot talk to mwan4 on " + socket + ": " + cause);
    }
}

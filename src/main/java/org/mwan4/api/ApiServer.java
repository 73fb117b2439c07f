package org.mwan4.api;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mwan4.runtime.ControlPlane;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The control and status API: HTTP/1.1 on a Unix domain socket (Reactor Netty, native epoll transport), so
 * {@code curl --unix-socket /var/run/mwan4.sock http://localhost/v1/status} works. Endpoints and JSON are in
 * docs/api.md. Every request is answered; a bad one gets a 4xx with a JSON error naming the field, and no
 * input can stop the server.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * @param socket          where to listen ({@code <root>/var/run/mwan4.sock})
     * @param group           the group that may POST (the socket file gets it, mode 0660); empty: the daemon's group
     * @param maxBodyBytes    larger request bodies get 413
     * @param eventBuffer     non-status events buffered per /v1/events client before the oldest are dropped
     * @param heartbeat       SSE comment interval
     * @param privilegedUids  uids that may always POST; empty: root and the daemon's own uid
     */
    public record Options(Path socket, Optional<String> group, int maxBodyBytes, int eventBuffer,
                          java.time.Duration heartbeat, Optional<Set<Integer>> privilegedUids) {
        public static final int DEFAULT_MAX_BODY = 1 << 20;

        public static Options at(Path socket) {
            return new Options(socket, Optional.empty(), DEFAULT_MAX_BODY, 256, java.time.Duration.ofSeconds(15),
                    Optional.empty());
        }

        /** {@code <root>/var/run/mwan4.sock}. */
        public static Path defaultSocket(Path root) {
            return root.resolve("var/run/mwan4.sock");
        }
    }

    private final Options options;
    private final Json json = new Json();
    private final Endpoints endpoints;
    private final EventStream events;
    private final Scheduler scheduler;
    private final Access access;
    private final DisposableServer server;
    private final long inode;
    /** Open connections, closed by {@link #close} (an event stream would otherwise outlive the server). */
    private final ChannelGroup connections = new DefaultChannelGroup("mwan4-api", GlobalEventExecutor.INSTANCE);

    private ApiServer(ControlPlane daemon, Options options, Clock clock) throws IOException {
        this.options = options;
        this.endpoints = new Endpoints(daemon, json, clock);
        this.scheduler = Schedulers.newBoundedElastic(4, 10_000, "mwan4-api");
        this.events = new EventStream(daemon, endpoints, json, scheduler, options.eventBuffer(), options.heartbeat());
        SocketFile.prepare(options.socket());
        DisposableServer s;
        try {
            s = HttpServer.create()
                    .bindAddress(() -> new DomainSocketAddress(options.socket().toString()))
                    .doOnConnection(c -> connections.add(c.channel()))
                    .handle(this::handle)
                    .bindNow();
        } catch (RuntimeException e) {
            scheduler.dispose();
            throw new IOException("cannot listen on " + options.socket() + ": " + Endpoints.message(e), e);
        }
        this.server = s;
        SocketFile.Bound bound;
        try {
            bound = SocketFile.secure(options.socket(), options.group());
        } catch (IOException e) {
            s.disposeNow();
            scheduler.dispose();
            throw e;
        }
        this.inode = bound.inode();
        Set<Integer> uids = options.privilegedUids().orElseGet(() -> {
            Set<Integer> u = new TreeSet<>(Set.of(0));
            Access.ownUid().ifPresent(u::add);
            return u;
        });
        this.access = new Access(uids, bound.gid(), options.group().orElse(Integer.toString(bound.gid())));
    }

    /**
     * Binds the socket (replacing a stale one) and starts serving.
     *
     * @throws IOException naming the socket when it cannot be bound (another daemon on it, not a socket, no such group)
     */
    public static ApiServer start(ControlPlane daemon, Options options, Clock clock) throws IOException {
        ApiServer s = new ApiServer(daemon, options, clock);
        LOG.info("control API listening on {}", options.socket());
        return s;
    }

    public Path socket() {
        return options.socket();
    }

    /** Stops serving, closes every connection (event streams end) and removes the socket file. */
    @Override
    public void close() {
        server.disposeNow(java.time.Duration.ofSeconds(1));
        connections.close().awaitUninterruptibly(java.time.Duration.ofSeconds(2).toMillis());
        scheduler.dispose();
        SocketFile.remove(options.socket(), inode);
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String method = req.method().name();
        List<String> segments;
        java.util.Map<String, List<String>> query;
        try {
            QueryStringDecoder decoded = new QueryStringDecoder(req.uri());
            segments = segments(decoded.path());
            query = decoded.parameters();
        } catch (IllegalArgumentException e) {
            return send(res, Reply.error(json, 400, "malformed path: " + Endpoints.message(e), "path"));
        }
        Optional<Endpoint> found = Endpoint.match(segments, query);
        if (found.isEmpty()) {
            return send(res, Reply.error(json, 404, "no such path '" + req.path() + "'; the API is under /v1 (status, "
                    + "interfaces, strategies, rules, connected, desired, internal, events, reload, plan) and /metrics", "path"));
        }
        Endpoint e = found.get();
        if (!e.method().equals(method)) {
            return send(res, new Reply(405, Reply.JSON, json.write(org.mwan4.api.view.ErrorView.of(
                    method + " is not allowed on " + req.path() + "; use " + e.method(), "method")) + "\n", List.of(e.method())));
        }
        if (e.method().equals("POST")) {
            Optional<Access.Peer> peer = peer(req);
            if (peer.isPresent() && !access.mayWrite(peer.get(), Access.supplementaryGroups(peer.get().pid()))) {
                return send(res, Reply.error(json, 403, access.denial(peer.get()), null));
            }
        }
        if (e instanceof Endpoint.Events) {
            res.status(200).header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return res.sendString(events.frames()).then();
        }
        Mono<String> body = e.method().equals("POST") ? body(req) : Mono.just("");
        return body.flatMap(b -> endpoints.serve(e, b))
                .onErrorResume(TooLarge.class, x -> Mono.just(Reply.error(json, 413, "request body is larger than "
                        + options.maxBodyBytes() + " bytes", "body")))
                .onErrorResume(BadRequest.class, x -> Mono.just(Reply.error(json, 400, x.getMessage(), x.field)))
                .onErrorResume(x -> {
                    LOG.warn("API {} {} failed: {}", method, req.path(), x.toString());
                    return Mono.just(Reply.error(json, 500, "internal error: " + Endpoints.message(x)
                            + " (the daemon keeps running; this is a bug, please report it)", null));
                })
                .flatMap(r -> Mono.from(send(res, r)));
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    private Publisher<Void> send(HttpServerResponse res, Reply r) {
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        res.status(r.status()).header(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
        if (!r.allow().isEmpty()) {
            res.header(HttpHeaderNames.ALLOW, String.join(", ", r.allow()));
        }
        return res.sendByteArray(Mono.just(bytes)).then();
    }

    /** The request body as text (UTF-8, else ISO-8859-1 like UCI files), at most {@code maxBodyBytes}. */
    private Mono<String> body(HttpServerRequest req) {
        int max = options.maxBodyBytes();
        String declared = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > max) {
                    return Mono.error(new TooLarge());
                }
            } catch (NumberFormatException e) {
                return Mono.error(new BadRequest("Content-Length '" + declared + "' is not a number", "Content-Length"));
            }
        }
        return req.receive().asByteArray()
                .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length > max) {
                        throw new TooLarge();
                    }
                    out.writeBytes(chunk);
                    return out;
                })
                .map(out -> text(out.toByteArray()))
                .defaultIfEmpty("");
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** SO_PEERCRED of the connection; empty when the transport cannot tell (then the socket's mode alone guards). */
    private static Optional<Access.Peer> peer(HttpServerRequest req) {
        Access.Peer[] out = new Access.Peer[1];
        req.withConnection(c -> {
            Channel ch = c.channel();
            if (ch instanceof EpollDomainSocketChannel d) {
                try {
                    PeerCredentials p = d.peerCredentials();
                    out[0] = new Access.Peer(p.pid(), p.uid(), p.gids().length > 0 ? p.gids()[0] : -1);
                } catch (IOException e) {
                    out[0] = null;
                }
            }
        });
        return Optional.ofNullable(out[0]);
    }

    /** A request that cannot be served as sent; {@code field} names the part to blame. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;

        BadRequest(String message, String field) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    /** A request body over the limit. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("request body too large", null, false, false);
        }
    }
}

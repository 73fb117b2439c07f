package org.mwan4.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeDaemon} served by a real {@link ApiServer} on a Unix socket in a fresh temp dir, started before each
 * test and closed (dir removed) after it: {@code @RegisterExtension final ServedFakeDaemon api = new ServedFakeDaemon();}
 * then {@code UnixHttp.get(api.socket(), "/v1/status")} and {@code api.daemon().emit(...)}.
 */
public final class ServedFakeDaemon implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private FakeDaemon daemon;
    private ApiServer server;
    private Path socket;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("mwan4-api-");
        daemon = new FakeDaemon();
        socket = ApiServer.Options.defaultSocket(dir);
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), ApiServerTest.CLOCK);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The server now (a test may close it and {@link #restart()} it). */
    public ApiServer server() {
        return server;
    }

    /** A new server on the same socket, for a test that closed the first one. */
    public void restart() throws IOException {
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), ApiServerTest.CLOCK);
    }

    public FakeDaemon daemon() {
        return daemon;
    }

    public Path socket() {
        return socket;
    }
}

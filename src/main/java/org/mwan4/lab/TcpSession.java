package org.mwan4.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.mwan4.config.IpAddress;

/**
 * A long-lived TCP connection to the whoami server: an existing flow, to check it stays on its WAN when new
 * flows are balanced or when rules change. Reads are bounded by the client's timeout.
 */
public final class TcpSession implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Function<IpAddress, Optional<String>> wanOf;
    private final Whoami first;

    TcpSession(SocketChannel channel, Function<IpAddress, Optional<String>> wanOf) throws IOException {
        this.channel = channel;
        this.wanOf = wanOf;
        this.in = LabClient.reader(channel);
        this.first = read();
    }

    /** What the server saw when the connection opened. */
    public Whoami opened() {
        return first;
    }

    /** The WAN the connection left through when it opened. */
    public Optional<String> openedVia() {
        return wanOf.apply(first.address());
    }

    /** Asks again over the same connection: which source does the server see now? */
    public Whoami whoami() throws IOException {
        channel.socket().getOutputStream().write("?\n".getBytes(StandardCharsets.US_ASCII));
        return read();
    }

    /** The WAN the connection leaves through now; empty when it belongs to none. */
    public Optional<String> via() throws IOException {
        return wanOf.apply(whoami().address());
    }

    private Whoami read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("whoami connection closed by the server");
        }
        return Whoami.parse(line).orElseThrow(() -> new IOException("unreadable whoami answer: " + line));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

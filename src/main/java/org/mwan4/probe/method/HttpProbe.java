package org.mwan4.probe.method;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.Errno;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.ProbeLoop;

/**
 * {@code httping} / {@code httping_ssl}: {@code HEAD / HTTP/1.1} to the target (port 80, or 443 over TLS) through
 * a socket bound and marked like every probe; any HTTP status line counts as an answer, as for httping.
 * The round-trip time covers connect, TLS handshake and request, as httping's total does.
 */
final class HttpProbe extends SocketProbe {
    private enum Stage { CONNECTING, SENDING, READING, TLS }

    private final SSLContext tls;
    private final byte[] request;
    private final byte[] rx = new byte[HttpStatusLine.MAX_LINE];
    private int rxLen;
    private int sent;
    private Stage stage = Stage.CONNECTING;
    private MemorySegment buf;
    private TlsClient client;

    /** @param tls null for plain HTTP */
    HttpProbe(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd, SSLContext tls) {
        super(loop, path, target, listener, onEnd);
        this.tls = tls;
        String host = target.family() == Family.IPV6 ? "[" + target + "]" : target.toString();
        this.request = ("HEAD / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mwan4-httping\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected int type() {
        return LinuxAbi.SOCK_STREAM;
    }

    @Override
    protected int port() {
        return tls == null ? 80 : 443;
    }

    @Override
    protected int afterConnect() {
        buf = socket.allocate(HttpStatusLine.MAX_LINE + request.length);
        return LinuxAbi.EPOLLOUT;
    }

    @Override
    protected void ready(int events) {
        try {
            switch (stage) {
                case CONNECTING -> connected();
                case SENDING -> sendRequest();
                case READING -> readStatus();
                case TLS -> tlsStep();
            }
        } catch (IOException e) {
            fail(describe() + ": " + e.getMessage());
        }
    }

    private void connected() throws IOException {
        int err = socket.pendingError();
        if (err != 0) {
            fail(describe() + ": connect: " + Errno.describe(err));
            return;
        }
        if (tls != null) {
            SSLEngine engine = tls.createSSLEngine(target.toString(), 443);
            engine.setUseClientMode(true);
            client = new TlsClient(engine, socket, request, b -> {
                byte[] a = bytes(b);
                return HttpStatusLine.lineComplete(a, a.length) || a.length >= HttpStatusLine.MAX_LINE;
            });
            stage = Stage.TLS;
            tlsStep();
        } else {
            MemorySegment.copy(request, 0, buf, JAVA_BYTE, 0, request.length);
            stage = Stage.SENDING;
            sendRequest();
        }
    }

    private void sendRequest() throws IOException {
        long n = socket.send(buf.asSlice(sent), request.length - sent);
        if (n < 0 && -n != LinuxAbi.EAGAIN) {
            throw new IOException("send: " + Errno.describe((int) -n));
        }
        sent += (int) Math.max(0, n);
        if (sent == request.length) {
            stage = Stage.READING;
            interest(LinuxAbi.EPOLLIN);
        }
    }

    private void readStatus() throws IOException {
        long n = socket.receive(buf, rx.length - rxLen);
        if (n < 0) {
            if (-n != LinuxAbi.EAGAIN) {
                throw new IOException("recv: " + Errno.describe((int) -n));
            }
            return;
        }
        if (n == 0) {
            throw new IOException("connection closed before a status line");
        }
        MemorySegment.copy(buf, JAVA_BYTE, 0, rx, rxLen, (int) n);
        rxLen += (int) n;
        judge(rx, rxLen, false);
    }

    private void tlsStep() throws IOException {
        switch (client.step()) {
            case READ -> interest(LinuxAbi.EPOLLIN);
            case WRITE -> interest(LinuxAbi.EPOLLOUT);
            case DONE -> {
                byte[] got = bytes(client.received());
                judge(got, got.length, client.peerClosed());
            }
        }
    }

    private void judge(byte[] b, int len, boolean closed) throws IOException {
        OptionalInt code = HttpStatusLine.parse(b, len);
        if (code.isPresent()) {
            answer();
        } else if (HttpStatusLine.lineComplete(b, len) || len >= HttpStatusLine.MAX_LINE) {
            throw new IOException("not an HTTP response: " + new String(b, 0, Math.min(len, 40), StandardCharsets.ISO_8859_1).strip());
        } else if (closed) {
            throw new IOException("connection closed before a status line");
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[Math.min(b.remaining(), HttpStatusLine.MAX_LINE)];
        b.duplicate().get(a);
        return a;
    }

    @Override
    protected String describe() {
        return (tls == null ? "httping http://" : "httping https://") + target + " (" + path.describe() + ")";
    }
}

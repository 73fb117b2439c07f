package org.mwan4.probe.method;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.mwan4.kernel.Errno;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.NativeSocket;

/**
 * Drives a client {@link SSLEngine} over a non-blocking {@link NativeSocket} (so the TLS connection is bound
 * to the WAN and marked like every probe): handshake, one request out, response bytes in. Buffers are
 * direct ByteBuffers over the socket's own native memory, so records go between the kernel and the engine
 * without extra copies. {@link #step()} does what it can and says what to wait for.
 */
final class TlsClient {

    /** What the caller waits for next: the socket readable, writable, or nothing (the response is in, or the peer closed). */
    enum Want { READ, WRITE, DONE }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final NativeSocket socket;
    private final Predicate<ByteBuffer> complete;
    private final ByteBuffer netOut; // read mode: bytes waiting for the socket
    private final ByteBuffer netIn;  // write mode: bytes from the socket not yet unwrapped
    private final ByteBuffer appIn;  // write mode: decrypted response bytes
    private final ByteBuffer appOut;
    private boolean closed;

    /**
     * @param complete says, given the decrypted bytes so far (flipped view), whether the caller has enough
     */
    TlsClient(SSLEngine engine, NativeSocket socket, byte[] request, Predicate<ByteBuffer> complete) throws SSLException {
        this.engine = engine;
        this.socket = socket;
        this.complete = complete;
        SSLSession s = engine.getSession();
        this.netOut = socket.allocate(s.getPacketBufferSize()).asByteBuffer().limit(0);
        this.netIn = socket.allocate(s.getPacketBufferSize()).asByteBuffer();
        this.appIn = socket.allocate(s.getApplicationBufferSize()).asByteBuffer();
        this.appOut = ByteBuffer.wrap(request);
        engine.beginHandshake();
    }

    /** Decrypted bytes so far (a read-only, flipped view). */
    ByteBuffer received() {
        return appIn.duplicate().flip().asReadOnlyBuffer();
    }

    boolean peerClosed() {
        return closed;
    }

    Want step() throws IOException {
        while (true) {
            if (netOut.hasRemaining() && !flush()) {
                return Want.WRITE;
            }
            if (closed || complete.test(received()) || !appIn.hasRemaining()) {
                return Want.DONE;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                        t.run(); // certificate parsing; quick, and there is no other work on this loop meanwhile worth a thread
                    }
                }
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap() && !read()) {
                        if (closed) {
                            throw new SSLException("connection closed during the TLS handshake");
                        }
                        return Want.READ;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    if (appOut.hasRemaining()) {
                        wrap(appOut);
                    } else if (!unwrap() && !read()) {
                        return closed ? Want.DONE : Want.READ;
                    }
                }
            }
        }
    }

    private void wrap(ByteBuffer src) throws SSLException {
        netOut.compact();
        SSLEngineResult r = engine.wrap(src, netOut);
        netOut.flip();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            closed = true;
        }
    }

    /** True when the engine made progress. */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        return switch (r.getStatus()) {
            case OK -> r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            case BUFFER_UNDERFLOW -> false;
            case BUFFER_OVERFLOW -> true; // appIn is full: more than a status line arrived
            case CLOSED -> {
                closed = true;
                yield true;
            }
        };
    }

    /** Reads what the socket has into netIn; false when nothing came (EAGAIN, or end of stream: then closed). */
    private boolean read() throws IOException {
        if (!netIn.hasRemaining()) {
            throw new SSLException("TLS record larger than the packet buffer");
        }
        MemorySegment room = MemorySegment.ofBuffer(netIn);
        long n = socket.receive(room, room.byteSize());
        if (n > 0) {
            netIn.position(netIn.position() + (int) n);
            return true;
        }
        if (n == 0) {
            closed = true;
            return false;
        }
        if (-n == LinuxAbi.EAGAIN) {
            return false;
        }
        throw new IOException("recv: " + Errno.describe((int) -n));
    }

    /** Writes netOut to the socket; true when all of it went. */
    private boolean flush() throws IOException {
        MemorySegment pending = MemorySegment.ofBuffer(netOut);
        long n = socket.send(pending, pending.byteSize());
        if (n >= 0) {
            netOut.position(netOut.position() + (int) n);
            return !netOut.hasRemaining();
        }
        if (-n == LinuxAbi.EAGAIN) {
            return false;
        }
        throw new IOException("send: " + Errno.describe((int) -n));
    }
}

package org.mwan4.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mwan4.config.IpAddress;

/**
 * The internet namespace's servers, all answering with {@link Whoami} (the source they saw) after the per-ISP
 * delay of {@link InternetImpairment}:
 * <ul>
 *   <li>TCP {@value #WHOAMI_PORT}: a whoami line on connect, then one more per line the client sends
 *       (a long-lived connection can ask which path it takes now); closes after {@link #IDLE} without input;</li>
 *   <li>UDP {@value #WHOAMI_PORT}: each datagram is answered with {@code "<whoami> <datagram text>"};</li>
 *   <li>HTTP {@value #HTTP_PORT}: {@code GET}/{@code HEAD} of any path gives {@code 200} with the whoami line.</li>
 * </ul>
 */
final class LabServers implements AutoCloseable {
    static final int WHOAMI_PORT = 7000;
    static final int HTTP_PORT = 80;
    static final Duration IDLE = Duration.ofSeconds(60);
    private static final int MAX_LINE = 512;
    private static final int MAX_REQUEST = 8192;

    private final Function<IpAddress, Duration> delayOfSource;
    private TcpServer whoami;
    private TcpServer http;
    private final List<DatagramChannel> udp = new ArrayList<>();
    private final List<Thread> udpReaders = new ArrayList<>();
    private final ScheduledExecutorService udpTimer;
    private volatile boolean running = true;

    /**
     * Starts the servers in {@code inet}. UDP gets one socket per address: a wildcard UDP socket would answer from
     * whatever source the route back picks (the ISP link's address), and clients drop answers from a stranger.
     */
    LabServers(Netns inet, List<IpAddress> addresses, Function<IpAddress, Duration> delayOfSource) {
        this.delayOfSource = delayOfSource;
        this.udpTimer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("lab-udp-timer").unstarted(r));
        try {
            this.whoami = new TcpServer(inet, "whoami", WHOAMI_PORT, this::serveWhoami);
            this.http = new TcpServer(inet, "http", HTTP_PORT, this::serveHttp);
            for (IpAddress a : addresses) {
                DatagramChannel ch = inet.inside(() -> {
                    DatagramChannel c = DatagramChannel.open();
                    try {
                        c.bind(new InetSocketAddress(a.toInetAddress(), WHOAMI_PORT));
                        return c;
                    } catch (IOException e) {
                        c.close();
                        throw new LabException("cannot bind UDP " + a + " port " + WHOAMI_PORT + " in " + inet + ": " + e.getMessage(), e);
                    }
                });
                udp.add(ch);
                udpReaders.add(Thread.ofVirtual().name("lab-udp-whoami-" + a).start(() -> serveUdp(ch)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void pause(IpAddress peer) {
        Duration d = delayOfSource.apply(peer);
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void serveWhoami(SocketChannel c) throws IOException {
        Whoami peer = Whoami.of(c.getRemoteAddress());
        c.socket().setSoTimeout((int) IDLE.toMillis());
        OutputStream out = c.socket().getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(c.socket().getInputStream(), StandardCharsets.US_ASCII));
        byte[] answer = (peer.line() + "\n").getBytes(StandardCharsets.US_ASCII);
        pause(peer.address());
        out.write(answer);
        out.flush();
        for (int lines = 0; lines < 100_000; lines++) {
            String line = in.readLine();
            if (line == null || line.length() > MAX_LINE) {
                return;
            }
            pause(peer.address());
            out.write(answer);
            out.flush();
        }
    }

    private void serveHttp(SocketChannel c) throws IOException {
        Whoami peer = Whoami.of(c.getRemoteAddress());
        c.socket().setSoTimeout(5000);
        BufferedReader in = new BufferedReader(new InputStreamReader(c.socket().getInputStream(), StandardCharsets.US_ASCII));
        String request = in.readLine();
        int read = request == null ? 0 : request.length();
        for (String h = in.readLine(); h != null && !h.isEmpty() && read < MAX_REQUEST; h = in.readLine()) {
            read += h.length();
        }
        String method = request == null ? "" : request.split(" ", 2)[0];
        String body = peer.line() + "\n";
        String status = method.equals("GET") || method.equals("HEAD") ? "200 OK" : "405 Method Not Allowed";
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n";
        pause(peer.address());
        OutputStream out = c.socket().getOutputStream();
        out.write((method.equals("HEAD") ? head : head + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void serveUdp(DatagramChannel udp) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (running) {
            SocketAddress from;
            try {
                buf.clear();
                from = udp.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            buf.flip();
            Whoami peer = Whoami.of(from);
            String text = StandardCharsets.US_ASCII.decode(buf).toString().strip();
            ByteBuffer reply = StandardCharsets.US_ASCII.encode(peer.line() + " " + text + "\n");
            Duration d = delayOfSource.apply(peer.address());
            Runnable send = () -> {
                try {
                    udp.send(reply, from);
                } catch (IOException e) {
                    // a lost reply, as UDP allows
                }
            };
            if (d.isZero()) {
                send.run();
            } else {
                udpTimer.schedule(send, d.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (whoami != null) {
            whoami.close();
        }
        if (http != null) {
            http.close();
        }
        udpTimer.shutdownNow();
        for (DatagramChannel c : udp) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to act on
            }
        }
        for (Thread t : udpReaders) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package org.mwan4.probe;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.probe.method.DnsMessage;
import org.mwan4.testing.TestNetns;

/**
 * Services on a lab target, opened on a thread inside the target namespace (so they listen there):
 * HTTP on port 80, HTTPS on 443 (self-signed key made with keytool), and a DNS responder on UDP 53 that
 * answers every A/AAAA query with the target's own address.
 */
final class TargetServices implements AutoCloseable {
    private final List<HttpServer> http = new ArrayList<>();
    private final List<DatagramSocket> dns = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Path keyDir;

    private TargetServices(Path keyDir) {
        this.keyDir = keyDir;
    }

    static TargetServices start(TestNetns ns, List<IpAddress> addresses) throws Exception {
        TargetServices s = new TargetServices(Files.createTempDirectory("mwan4-probe-tls"));
        SSLContext tls = s.selfSigned();
        try (NetnsThread inside = NetnsThread.enter(ns.name())) {
            inside.call(() -> {
                for (IpAddress a : addresses) {
                    HttpServer h = HttpServer.create(new InetSocketAddress(a.toInetAddress(), 80), 16);
                    h.createContext("/", ex -> {
                        ex.sendResponseHeaders(200, -1);
                        ex.close();
                    });
                    HttpsServer hs = HttpsServer.create(new InetSocketAddress(a.toInetAddress(), 443), 16);
                    hs.setHttpsConfigurator(new HttpsConfigurator(tls));
                    hs.createContext("/", ex -> {
                        ex.sendResponseHeaders(204, -1);
                        ex.close();
                    });
                    h.start();
                    hs.start();
                    s.http.add(h);
                    s.http.add(hs);
                    DatagramSocket d = new DatagramSocket(new InetSocketAddress(a.toInetAddress(), 53));
                    s.dns.add(d);
                    Thread t = Thread.ofPlatform().daemon().name("test-dns-" + a).start(() -> serveDns(d, a));
                    s.threads.add(t);
                }
                return null;
            });
        }
        return s;
    }

    private static void serveDns(DatagramSocket d, IpAddress self) {
        byte[] buf = new byte[1500];
        while (!d.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                d.receive(p);
                byte[] answer = DnsMessage.answer(buf, p.getLength(), self, 60);
                d.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (d.isClosed()) {
                    return;
                }
            }
        }
    }

    private SSLContext selfSigned() throws Exception {
        Path ks = keyDir.resolve("target.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        TestNetns.run(keytool, "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit", "-alias", "target", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=203.0.113.10", "-validity", "2");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Override
    public void close() throws IOException {
        for (HttpServer h : http) {
            h.stop(0);
        }
        for (DatagramSocket d : dns) {
            d.close();
        }
        try (var files = Files.list(keyDir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(keyDir);
    }
}

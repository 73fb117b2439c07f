package org.mwan4.demo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.IpAddress;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Whoami;

/**
 * Sends one UDP datagram from a fresh socket (a new conntrack flow) every {@code gapNanos} to the lab's UDP whoami
 * server and records which WAN each left through, so the first new flow that used the new WAN is known to within
 * one gap. Sockets are opened inside the LAN namespace beforehand; sending and receiving need no thread hops.
 */
final class NewFlowProbe implements AutoCloseable {
    private final Lab lab;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final long[] sentAt;
    private final String[] wan;
    private final Selector selector;
    private final InetSocketAddress server;

    NewFlowProbe(Lab lab, IpAddress server, int flows) throws IOException {
        this.lab = lab;
        this.server = new InetSocketAddress(server.toInetAddress(), lab.internet().whoamiPort());
        this.sentAt = new long[flows];
        this.wan = new String[flows];
        this.selector = Selector.open();
        for (int i = 0; i < flows; i++) {
            DatagramChannel c = lab.lan().inside(DatagramChannel::open);
            c.bind(null);
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ, i);
            channels.add(c);
        }
    }

    /**
     * Sends flow after flow, {@code gapNanos} apart, until one is answered through {@code wanted} or all are used.
     *
     * @return the {@link System#nanoTime()} at which the first flow that left through {@code wanted} was sent
     */
    Optional<Long> firstVia(String wanted, long gapNanos) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(256);
        int next = 0;
        int found = -1;
        long foundAt = 0;
        long due = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (next < channels.size() && now >= due) {
                sentAt[next] = now;
                channels.get(next).send(ByteBuffer.wrap(Integer.toString(next).getBytes(StandardCharsets.US_ASCII)), server);
                next++;
                due += gapNanos;
            }
            selector.selectNow();
            for (SelectionKey k : selector.selectedKeys()) {
                int i = (Integer) k.attachment();
                in.clear();
                if (((DatagramChannel) k.channel()).receive(in) != null) {
                    String line = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    wan[i] = Whoami.parse(line).flatMap(w -> lab.wanOf(w.address())).orElse("unknown");
                    if (wanted.equals(wan[i]) && (found < 0 || i < found)) {
                        found = i;
                        foundAt = now;
                    }
                }
            }
            selector.selectedKeys().clear();
            if (found >= 0 && now - foundAt > 5_000_000L) {
                return Optional.of(sentAt[found]); // earlier flows had 5 ms more to answer through it
            }
            if (next == channels.size() && now - sentAt[next - 1] > 1_000_000_000L) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        for (DatagramChannel c : channels) {
            c.close();
        }
    }
}

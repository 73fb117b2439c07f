package org.mwan4.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP accept loop for the lab's servers: one virtual thread per connection, every connection closed on
 * {@link #close}. The listening socket is opened inside the namespace (dual-stack {@code [::]:port}), so the
 * threads that serve it may live anywhere.
 */
final class TcpServer implements AutoCloseable {
    /** Serves one accepted connection; the server closes it afterwards. */
    @FunctionalInterface
    interface Handler {
        void serve(SocketChannel connection) throws IOException;
    }

    private final String name;
    private final ServerSocketChannel listener;
    private final Handler handler;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean running = true;

    /** Equals listening on {@code [::]:port} in {@code ns} (IPv4 too, as mapped addresses). */
    TcpServer(Netns ns, String name, int port, Handler handler) {
        this.name = name;
        this.handler = handler;
        this.listener = ns.inside(() -> {
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.bind(new InetSocketAddress(port), 512);
                return ch;
            } catch (IOException e) {
                ch.close();
                throw new LabException("cannot listen on TCP port " + port + " in " + ns + " for " + name + ": " + e.getMessage(), e);
            }
        });
        this.acceptor = Thread.ofVirtual().name("lab-" + name + "-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                continue; // e.g. EMFILE under a flood: keep serving the rest
            }
            open.add(c);
            Thread.ofVirtual().name("lab-" + name + "-conn").start(() -> {
                try (c) {
                    handler.serve(c);
                } catch (IOException e) {
                    // the peer went away or idled out: nothing to answer
                } finally {
                    open.remove(c);
                }
            });
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listener cannot fail in a way we could act on
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // same
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

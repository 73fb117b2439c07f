package org.mwan4.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * A multi-WAN test network built from network namespaces: a LAN client, the router (where mwan4 runs), N ISPs
 * and an internet with servers and track targets behind all of them. See {@link Topology} for the layout and
 * {@link #describe()} for a printable summary.
 *
 * <pre>{@code
 * try (Lab lab = Lab.builder().isps(2).build()) {
 *     Tally t = lab.lanClient().tally(lab.internet().server(Family.IPV4), 100);
 *     lab.isp(1).linkDown();
 * }
 * }</pre>
 *
 * Cleanup always happens: {@link #close()} (idempotent), a JVM shutdown hook (Ctrl-C, SIGTERM), and
 * {@link #removeLeftovers} for namespaces of runs that were killed hard.
 */
public final class Lab implements AutoCloseable {
    public static final String TEST_PREFIX = "mwan4t-";
    public static final String DEMO_PREFIX = "mwan4d-";
    /** Where each live lab records its owner process, so {@link #removeLeftovers} spares live labs. */
    public static final Path DEFAULT_OWNER_DIR = Path.of("/run/mwan4-lab");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private final Topology topology;
    private final Path ownerDir;
    private final List<Netns> created = new ArrayList<>();
    private final TreeMap<String, Netns> byName = new TreeMap<>();
    private final List<Isp> isps = new ArrayList<>();
    private final Internet internet;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final List<LabServers> extraServers = new ArrayList<>();
    private LabOwner owner;

    private Lab(Topology topology, Path ownerDir) {
        this.topology = topology;
        this.ownerDir = ownerDir;
        topology.namespaces().forEach(n -> byName.put(n, new Netns(n)));
        topology.isps().forEach(i -> isps.add(new Isp(i, byName.get(i.namespace()))));
        this.internet = new Internet(topology, byName.get(topology.internet().namespace()));
        this.shutdownHook = Thread.ofPlatform().name("mwan4-lab-cleanup-" + topology.labId()).unstarted(this::closeFromHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds labs; every setting has a default (test prefix, 2 ISPs, 4 LAN addresses, 2 targets, servers on). */
    public static final class Builder {
        private String prefix = TEST_PREFIX;
        private int isps = 2;
        private int lanHosts = 4;
        private int targets = 2;
        private boolean servers = true;
        private Path ownerDir = DEFAULT_OWNER_DIR;

        /** Namespace prefix: {@link #TEST_PREFIX} or {@link #DEMO_PREFIX}; a random 6-hex suffix is added. */
        public Builder prefix(String p) {
            if (!p.matches("[a-z0-9]{1,12}-")) {
                throw new IllegalArgumentException("lab prefix must be 1..12 of [a-z0-9] then '-', got '" + p + "'");
            }
            this.prefix = p;
            return this;
        }

        public Builder isps(int n) {
            this.isps = n;
            return this;
        }

        public Builder lanHosts(int n) {
            this.lanHosts = n;
            return this;
        }

        public Builder targets(int n) {
            this.targets = n;
            return this;
        }

        /** Whether to start the internet's servers (on by default). */
        public Builder servers(boolean on) {
            this.servers = on;
            return this;
        }

        public Builder ownerDir(Path dir) {
            this.ownerDir = dir;
            return this;
        }

        /**
         * Creates the namespaces, links, addresses, routes, firewalls and servers, and waits until every ISP carries
         * traffic in both families. On any failure it removes what it made and throws {@link LabException}.
         * Equals {@code ip netns add NS} per namespace, {@code ip netns exec NS sysctl -w ...},
         * {@code ip -n NS -batch -} with {@link LabScripts}' lines and {@code ip netns exec NS nft -f -}.
         */
        public Lab build() {
            List<String> problems = Preflight.problems();
            if (!problems.isEmpty()) {
                throw new LabException("cannot build the lab: " + String.join("; ", problems));
            }
            Topology t = Topology.of(freshId(prefix), isps, lanHosts, targets);
            Lab lab = new Lab(t, ownerDir);
            try {
                lab.bringUp(servers);
                return lab;
            } catch (RuntimeException e) {
                try {
                    lab.close();
                } catch (RuntimeException c) {
                    e.addSuppressed(c);
                }
                throw e;
            }
        }
    }

    private static String freshId(String prefix) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(0x1000000)).substring(2);
            if (!Leftovers.anyStartsWith(id + "-")) {
                return id;
            }
        }
        throw new LabException("no free lab id with prefix " + prefix + " after 20 tries; remove leftovers with Lab.removeLeftovers");
    }

    private void bringUp(boolean servers) {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        owner = LabOwner.claim(ownerDir, topology.labId());
        LabScripts s = new LabScripts(topology);
        for (String name : topology.namespaces()) {
            addNamespace(name);
        }
        for (Netns ns : created) {
            ns.sysctl(s.commonSysctls());
        }
        router().sysctl(s.forwardingSysctls());
        isps.forEach(i -> i.namespace().sysctl(s.forwardingSysctls()));
        router().ipBatch(s.routerLinks());
        isps.forEach(i -> i.namespace().ipBatch(s.ispLinks(i.link())));
        router().ipBatch(s.routerConfig());
        lan().ipBatch(s.lanConfig());
        isps.forEach(i -> i.namespace().ipBatch(s.ispConfig(i.link())));
        internet.namespace().ipBatch(s.internetConfig());
        router().nft(s.routerNft());
        isps.forEach(i -> i.namespace().nft(s.ispNft(i.link())));
        internet.namespace().nft(s.internetNft());
        awaitReady();
        if (servers) {
            internet.startServers();
        }
    }

    /** Equals {@code ip netns add NAME}; refuses once the lab is closed (Ctrl-C during the build). */
    private void addNamespace(String name) {
        synchronized (created) {
            if (closed.get()) {
                throw new LabException("lab " + id() + " was closed while it was being built (Ctrl-C?); stopped building");
            }
            HostCommand.of("ip", "netns", "add", name).run();
            created.add(byName.get(name));
        }
    }

    /** Every ISP answers a ping from the router through its WAN, in both families, within {@link #READY_TIMEOUT}. */
    private void awaitReady() {
        LabClient probe = routerClient();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Isp isp : isps) {
            for (Family f : Family.values()) {
                IpAddress target = topology.internet().server(f);
                PingResult r;
                do {
                    r = probe.ping(target, PingOptions.count(1).via(isp.wan()).waiting(Duration.ofMillis(200)));
                } while (r.received() == 0 && System.nanoTime() < deadline);
                if (r.received() == 0) {
                    throw new LabException("lab " + topology.labId() + " came up but " + isp.wan() + " does not reach "
                            + target + " within " + READY_TIMEOUT.toSeconds() + " s; removing the lab");
                }
            }
        }
    }

    public String id() {
        return topology.labId();
    }

    public Topology topology() {
        return topology;
    }

    /** The router namespace: mwan4 runs here; it holds {@code lan0}, {@code wan1..N} and an empty {@code table inet fw4}. */
    public Netns router() {
        return byName.get(topology.routerNamespace());
    }

    /** The LAN client namespace. */
    public Netns lan() {
        return byName.get(topology.lan().namespace());
    }

    public Internet internet() {
        return internet;
    }

    public List<Isp> isps() {
        return List.copyOf(isps);
    }

    /** ISP {@code k}, 1-based: {@code isp(1)} serves {@code wan1}. */
    public Isp isp(int k) {
        topology.isp(k);
        return isps.get(k - 1);
    }

    /** Traffic from the LAN client (forwarded by the router). */
    public LabClient lanClient() {
        return new LabClient(lan(), this::wanOf);
    }

    /** Traffic from the router itself (the output hook). */
    public LabClient routerClient() {
        return new LabClient(router(), this::wanOf);
    }

    /** Traffic from the internet towards the router's WAN addresses (inbound connections, e.g. port forwards). */
    public LabClient internetClient() {
        return new LabClient(internet.namespace(), this::wanOf);
    }

    /**
     * Starts the whoami servers (TCP/UDP {@value LabServers#WHOAMI_PORT}, HTTP {@value LabServers#HTTP_PORT}) in
     * another namespace of the lab, e.g. the router, so {@link #internetClient()} can open connections that enter
     * on a WAN. They answer without delay and stop when the lab closes.
     *
     * @param udpAddresses the namespace's own addresses to answer UDP on (a UDP answer must leave from the address
     *                     that was asked), e.g. the router's WAN addresses
     */
    public synchronized void serveWhoami(Netns where, List<IpAddress> udpAddresses) {
        if (closed.get()) {
            throw new LabException("lab " + id() + " is closed; cannot start servers in " + where);
        }
        extraServers.add(new LabServers(where, udpAddresses, a -> Duration.ZERO));
    }

    /** The WAN device ({@code wan1}) whose address the internet saw, if any. */
    public Optional<String> wanOf(IpAddress seen) {
        return topology.ispOfSource(seen).map(Topology.IspLink::wanDevice);
    }

    /** Namespaces, links, addresses, routes and servers, for a human. */
    public String describe() {
        return LabDescription.of(topology);
    }

    /**
     * Stops servers and namespace threads, then deletes every namespace of the lab ({@code ip netns del}), which
     * takes their devices with them. Idempotent and safe from any thread. Equals {@code ip netns del NAME} for each.
     *
     * @throws LabException when a namespace could not be deleted (its name is in the message)
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        removeHook();
        stopThreads();
        List<String> failures = new ArrayList<>();
        synchronized (created) {
            for (Netns ns : created.reversed()) {
                Leftovers.delete(ns.name()).ifPresent(failures::add);
            }
        }
        if (owner != null) {
            owner.release();
        }
        if (!failures.isEmpty()) {
            throw new LabException("lab " + id() + " left namespaces behind: " + String.join("; ", failures)
                    + " (remove them with `ip netns del NAME` or Lab.removeLeftovers)");
        }
    }

    /**
     * Leaves the namespaces in place for a human to poke at ({@code mwan4 demo --keep}): stops the in-JVM servers
     * and namespace threads and drops the shutdown hook, but deletes nothing. The lab's ping targets keep answering
     * (the kernel does that); the whoami/HTTP servers and delays end with this JVM. A later
     * {@link #removeLeftovers} removes the kept lab once this process is gone.
     *
     * @return how to remove it by hand
     */
    public String keep() {
        if (!closed.compareAndSet(false, true)) {
            throw new LabException("lab " + id() + " is already closed");
        }
        removeHook();
        stopThreads();
        return "ip netns list | grep '^" + id() + "-' | cut -d' ' -f1 | xargs -rn1 ip netns del";
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down (we may be the hook) or the hook was never added
        }
    }

    private synchronized void stopThreads() {
        extraServers.forEach(LabServers::close);
        extraServers.clear();
        internet.close();
        byName.values().forEach(Netns::close);
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("mwan4 lab cleanup: " + e.getMessage());
        }
    }

    /** Removes leftovers of crashed runs with {@link #DEFAULT_OWNER_DIR}; see {@link #removeLeftovers(String, Path)}. */
    public static List<String> removeLeftovers(String prefix) {
        return Leftovers.remove(prefix, DEFAULT_OWNER_DIR);
    }

    /**
     * Deletes the namespaces of labs with this prefix whose owner process is gone (a crashed or killed run, or a
     * lab {@link #keep() kept} by a run that ended). Labs of live processes (parallel runs) and namespaces that are
     * not lab namespaces are left alone. Equals {@code ip netns del NAME} for each.
     *
     * @return the deleted namespace names, sorted
     */
    public static List<String> removeLeftovers(String prefix, Path ownerDir) {
        return Leftovers.remove(prefix, ownerDir);
    }
}

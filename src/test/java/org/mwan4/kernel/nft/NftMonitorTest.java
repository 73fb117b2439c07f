package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.kernel.nft.NftNotification.Change;
import org.mwan4.kernel.nft.NftNotification.Generation;
import org.mwan4.kernel.nft.NftNotification.Kind;

/** The monitor sees what a forked nft does to our objects in the namespace. */
@Tag("kernel")
class NftMonitorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private NftNetns lab;
    private final LinkedBlockingQueue<NftNotification> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        lab = NftNetns.open("knft-mon");
        lab.nft().apply(NftFixtures.render(NftFixtures.ruleset()));
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void externalFlushOfFw4IsSeenAsRemovalOfOurRules() throws Exception {
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.ns().exec("nft", "flush", "table", "inet", "fw4");

            List<NftNotification> got = until(n -> n instanceof Generation g && g.process().equals("nft"));
            assertThat(got).contains(
                    new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_prerouting"),
                    new Change(Kind.DEL_RULE, "inet", "fw4", "mwan4_strategy_balanced_ipv4"));
            assertThat(got).filteredOn(n -> n instanceof Change c && c.removesOurs("inet", "fw4", NftReader.PREFIX)).isNotEmpty();
        }
    }

    /** Counters move without a transaction: the self-heal never sees traffic as a foreign edit of our rules. */
    @Test
    void trafficThroughACountedRuleIsNoChange() throws Exception {
        lab.ns().exec("ip", "link", "set", "lo", "up");
        lab.ns().nft("""
                table inet fw4 {
                	chain mwan4_rules_ipv4 { meta l4proto icmp counter comment "ping"; }
                	chain mwan4_count_out { type route hook output priority mangle; policy accept; jump mwan4_rules_ipv4; }
                }
                """);
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.ns().exec("ping", "-c", "3", "-i", "0.01", "-W", "1", "127.0.0.1");
            assertThat(NftCounters.read(lab.nft(), List.of("mwan4_rules_ipv4")).getFirst().packets()).isEqualTo(6);
            // a marker transaction after the traffic: everything the monitor heard before it came from the pings
            lab.ns().exec("nft", "add", "table", "inet", "marker");
            List<NftNotification> got = until(n -> n instanceof Generation g && g.process().equals("nft"));
            assertThat(got).as("only the marker").containsExactly(new Change(Kind.NEW_TABLE, "inet", "marker", "marker"),
                    got.getLast());
        }
    }

    @Test
    void externalDeleteChainAndTableAreSeen() throws Exception {
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.ns().exec("nft", "flush", "chain", "inet", "fw4", "mwan4_prerouting");
            lab.ns().exec("nft", "delete", "chain", "inet", "fw4", "mwan4_prerouting");
            assertThat(until(n -> n.equals(new Change(Kind.DEL_CHAIN, "inet", "fw4", "mwan4_prerouting")))).isNotEmpty();

            lab.ns().exec("nft", "delete", "table", "inet", "fw4");
            assertThat(until(n -> n.equals(new Change(Kind.DEL_TABLE, "inet", "fw4", "fw4")))).isNotEmpty();
        }
    }

    @Test
    void ourOwnTransactionsCarryTheBackendsThreadId() throws Exception {
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.nft().apply(Scripts.create().op("add chain mwan4_new", "add chain inet fw4 mwan4_new").build());

            List<NftNotification> got = until(n -> n instanceof Generation);
            assertThat(got).contains(new Change(Kind.NEW_CHAIN, "inet", "fw4", "mwan4_new"));
            assertThat(lab.nft().threadId()).isPositive();
            assertThat(((Generation) got.getLast()).pid()).isEqualTo(lab.nft().threadId());
        }
    }

    @Test
    void aFullSocketBufferIsReportedAsOverrun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // the listener blocks on the first notification, so the 5000 element notifications pile up in a tiny buffer
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), n -> {
            seen.add(n);
            awaitQuietly(release);
        }, 4096)) {
            List<Cidr> many = NftFixtures.manyPrefixes(5_000);
            lab.nft().apply(Scripts.create()
                    .op("add set mwan4_flood", "add set inet fw4 mwan4_flood { type ipv6_addr; flags interval; }",
                            NftFixtures.addElements("mwan4_flood", new TreeSet<>(many)))
                    .build());
            release.countDown();
            assertThat(until(n -> n instanceof NftNotification.Overrun)).isNotEmpty();
        }
    }

    @Test
    void closeStopsTheReader() {
        NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add);
        assertThat(monitor.isRunning()).isTrue();
        monitor.close();
        assertThat(monitor.isRunning()).isFalse();
    }

    /** Everything seen up to and including the first notification matching {@code last}. */
    private List<NftNotification> until(Predicate<NftNotification> last) throws InterruptedException {
        List<NftNotification> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            NftNotification n = seen.poll(100, TimeUnit.MILLISECONDS);
            if (n == null) {
                continue;
            }
            got.add(n);
            if (last.test(n)) {
                return got;
            }
        }
        throw new AssertionError("no matching notification within " + WAIT + "; saw " + got);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.kernel.nft.NftNotification.Change;
import org.mwan4.kernel.nft.NftNotification.Generation;
import org.mwan4.kernel.nft.NftNotification.Kind;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Op;

/**
 * The direct chain-rewrite path against the real kernel: every strategy chain of every golden fixture
 * ({@code test-fixtures/expected/* /12-mwan4-strategies.nft}), written through {@link ChainRuleChannel}, lists in
 * {@code nft list chain} exactly as planned and reads back ({@link NftReader}) so that the next diff is empty.
 */
@Tag("kernel")
class ChainRuleChannelTest {
    private NftNetns lab;

    @BeforeEach
    void open() {
        lab = NftNetns.open("knft-rw");
        lab.ns().nft("add table inet fw4");
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Each fixture's strategy chains: the rules of the last {@code chain NAME { ... }} block of each name. */
    static Stream<Arguments> fixtures() throws IOException {
        Path expected = Path.of(System.getProperty("mwan4.repo", ".")).resolve("test-fixtures/expected");
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(expected)) {
            for (Path dir : dirs.sorted().toList()) {
                Path f = dir.resolve("12-mwan4-strategies.nft");
                if (Files.exists(f)) {
                    out.add(Arguments.of(dir.getFileName().toString(), List.copyOf(chains(f).values())));
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(8);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureChainListsBackAsPlanned(String scenario, List<NftChain> chains) {
        assertThat(chains).isNotEmpty().allMatch(ChainRuleCodec::encodable);
        for (NftChain c : chains) {
            lab.ns().nft("add chain inet fw4 " + c.name() + "\nadd rule inet fw4 " + c.name() + " meta mark set 0x00000001");
        }
        lab.nft().replaceChains(chains);
        for (NftChain c : chains) {
            assertThat(listedRules(c.name())).as("%s %s", scenario, c.name()).isEqualTo(c.rules());
        }
        Desired read = lab.reader().read();
        Desired want = new Desired(read.sets(), byName(chains), read.ipRules(), read.routes());
        assertThat(read.chains().keySet()).containsExactlyInAnyOrderElementsOf(want.chains().keySet());
        assertThat(Diff.diff(read, want)).as("next step after the direct rewrite").isEmpty();

        // and the same once more through the step API, with each chain's rules reversed
        List<Op> ops = new ArrayList<>();
        for (NftChain c : chains) {
            ops.add(new Op.ReplaceChain(new NftChain(c.name(), null, c.rules().reversed())));
        }
        lab.nft().apply(ops, NftRender::script);
        for (NftChain c : chains) {
            assertThat(listedRules(c.name())).isEqualTo(c.rules().reversed());
        }
    }

    @Test
    void aMissingChainRollsTheWholeBatchBackAndSaysWhich() {
        List<String> rules = List.of("meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark | 0x00003f00 comment \"default\"");
        lab.ns().nft("add chain inet fw4 mwan4_strategy_a_ipv4");
        lab.ns().nft("add rule inet fw4 mwan4_strategy_a_ipv4 meta mark set 0x00000001");
        List<NftChain> chains = List.of(new NftChain("mwan4_strategy_a_ipv4", null, rules),
                new NftChain("mwan4_strategy_missing_ipv4", null, rules));
        assertThatThrownBy(() -> lab.nft().replaceChains(chains))
                .isInstanceOf(NftException.class)
                .hasMessageContaining("mwan4_strategy_missing_ipv4")
                .hasMessageContaining("flush chain inet fw4 mwan4_strategy_missing_ipv4")
                .hasMessageContaining("rolled back")
                .satisfies(e -> assertThat(((NftException) e).op()).isEqualTo(1));
        assertThat(listedRules("mwan4_strategy_a_ipv4")).containsExactly("meta mark set 0x00000001");
        // the socket is still good for the next batch
        lab.nft().replaceChains(chains.subList(0, 1));
        assertThat(listedRules("mwan4_strategy_a_ipv4")).isEqualTo(rules);
    }

    /** Self-heal must not echo: the monitor sees the rewrite's DELRULE and NEWRULE, committed by libnftables' thread. */
    @Test
    void theMonitorSeesTheRewriteAsOurOwnTransaction() throws Exception {
        lab.ns().nft("add chain inet fw4 mwan4_strategy_a_ipv4");
        LinkedBlockingQueue<NftNotification> seen = new LinkedBlockingQueue<>();
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.nft().apply(List.of(new Op.ReplaceChain(new NftChain("mwan4_strategy_a_ipv4", null,
                    List.of("meta mark set meta mark | 0x00000100")))), NftRender::script);
            List<NftNotification> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && got.stream().noneMatch(n -> n instanceof Generation)) {
                NftNotification n = seen.poll(100, TimeUnit.MILLISECONDS);
                if (n != null) {
                    got.add(n);
                }
            }
            assertThat(got).contains(new Change(Kind.NEW_RULE, "inet", "fw4", "mwan4_strategy_a_ipv4"));
            assertThat(got.getLast()).isInstanceOfSatisfying(Generation.class, g -> assertThat(g.pid()).isEqualTo(lab.nft().threadId()));
        }
    }

    @Test
    void anEmptyRuleListFlushesTheChain() {
        lab.ns().nft("add chain inet fw4 mwan4_strategy_a_ipv4\nadd rule inet fw4 mwan4_strategy_a_ipv4 meta mark set 0x00000001");
        lab.nft().replaceChains(List.of(new NftChain("mwan4_strategy_a_ipv4", null, List.of())));
        assertThat(listedRules("mwan4_strategy_a_ipv4")).isEmpty();
    }

    private List<String> listedRules(String chain) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lab.ns().exec("nft", "list", "chain", "inet", "fw4", chain).lines().toList()) {
            String t = l.strip();
            if (t.startsWith("chain ")) {
                in = true;
            } else if (t.equals("}")) {
                in = false;
            } else if (in && !t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static java.util.SortedMap<String, NftChain> byName(List<NftChain> chains) {
        java.util.TreeMap<String, NftChain> m = new java.util.TreeMap<>();
        chains.forEach(c -> m.put(c.name(), c));
        return m;
    }

    static SequencedMap<String, NftChain> chains(Path file) {
        try {
            SequencedMap<String, NftChain> out = new LinkedHashMap<>();
            String name = null;
            List<String> rules = new ArrayList<>();
            for (String l : Files.readAllLines(file)) {
                String t = l.strip();
                if (t.startsWith("chain ") && t.endsWith("{")) {
                    name = t.substring(6, t.length() - 1).strip();
                    rules = new ArrayList<>();
                } else if (name != null && t.equals("}")) {
                    out.put(name, new NftChain(name, null, rules));
                    name = null;
                } else if (name != null && !t.isEmpty()) {
                    rules.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

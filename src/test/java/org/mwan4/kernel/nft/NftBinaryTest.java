package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftScript;
import org.mwan4.testing.TestNetns;

/** The nft-program fallback behaves like libnftables: same read-back, same error naming. */
@Tag("kernel")
class NftBinaryTest {

    @BeforeEach
    void needsNft() {
        assumeTrue(NftBinary.find().isPresent(), "no nft program on this machine");
    }

    @Test
    void binaryAndLibraryReadBackIdenticallyWhicheverApplied() {
        try (TestNetns viaLib = TestNetns.create("knft-lib");
             TestNetns viaBin = TestNetns.create("knft-bin");
             NetnsThread libThread = NetnsThread.enter(viaLib.name());
             NetnsThread binThread = NetnsThread.enter(viaBin.name());
             LibNftables libA = LibNftables.open(libThread);
             LibNftables libB = LibNftables.open(binThread);
             NftBinary binA = NftBinary.open(viaLib.name());
             NftBinary binB = NftBinary.open(viaBin.name())) {
            NftScript script = NftFixtures.render(NftFixtures.ruleset());
            libA.apply(script);
            binB.apply(script);

            Desired expected = NftFixtures.ruleset();
            assertThat(new NftReader(libA).read()).isEqualTo(expected);
            assertThat(new NftReader(binA).read()).isEqualTo(expected);
            assertThat(new NftReader(libB).read()).isEqualTo(expected);
            assertThat(new NftReader(binB).read()).isEqualTo(expected);
            assertThat(binA.list("list table inet fw4")).isEqualTo(libA.list("list table inet fw4"));
            assertThat(binB.listTerse("list ruleset")).isEqualTo(libB.listTerse("list ruleset"));
        }
    }

    @Test
    void elementChangesThroughTheProgramAndTheDirectPathReadBackTheSame() {
        try (TestNetns ns = TestNetns.create("knft-binel");
             NetnsThread t = NetnsThread.enter(ns.name());
             LibNftables lib = LibNftables.open(t);
             NftBinary bin = NftBinary.open(ns.name())) {
            lib.apply(NftFixtures.render(NftFixtures.ruleset()));
            SortedSet<Cidr> added = NftFixtures.cidrs("203.0.113.0/26", "224.0.0.0/3");
            SortedSet<Cidr> removed = NftFixtures.cidrs("192.0.2.0/24");
            bin.applyElements("mwan4_connected_ipv4", Family.IPV4, added, removed);
            lib.applyElements("mwan4_custom_ipv4", Family.IPV4, added, NftFixtures.cidrs("198.51.100.0/25"));

            Desired read = new NftReader(bin).read();
            assertThat(read.sets().get("mwan4_connected_ipv4").elements())
                    .isEqualTo(NftFixtures.cidrs("198.51.100.7", "203.0.113.0/26", "203.0.113.64/26", "224.0.0.0/3"));
            assertThat(read.sets().get("mwan4_custom_ipv4").elements())
                    .isEqualTo(NftFixtures.cidrs("198.51.100.128/25", "203.0.113.0/26", "224.0.0.0/3"));
            assertThatThrownBy(() -> bin.applyElements("mwan4_connected_ipv4", Family.IPV4, NftFixtures.cidrs("203.0.113.0/24"), NftFixtures.cidrs()))
                    .isInstanceOf(NftException.class).hasMessageContaining("add element inet fw4 mwan4_connected_ipv4 { 203.0.113.0/24 }");
        }
    }

    @Test
    void binaryNamesTheSameRejectedOpAsTheLibraryAndAppliesNothing() {
        try (TestNetns ns = TestNetns.create("knft-binerr");
             NetnsThread t = NetnsThread.enter(ns.name());
             LibNftables lib = LibNftables.open(t);
             NftBinary bin = NftBinary.open(ns.name())) {
            bin.apply(NftFixtures.render(NftFixtures.ruleset()));
            NftScript bad = Scripts.create()
                    .op("add chain mwan4_new", "add chain inet fw4 mwan4_new")
                    .op("replace chain mwan4_strategy_balanced_ipv4", "flush chain inet fw4 mwan4_strategy_balanced_ipv4",
                            "add rule inet fw4 mwan4_strategy_balanced_ipv4 jump mwan4_missing")
                    .op("add chain mwan4_other", "add chain inet fw4 mwan4_other")
                    .build();

            NftException fromBin = catchNft(() -> bin.apply(bad));
            NftException fromLib = catchNft(() -> lib.apply(bad));
            assertThat(fromBin.getMessage()).startsWith("nft rejected op 2 of 3 (replace chain mwan4_strategy_balanced_ipv4): ")
                    .contains("No such file or directory");
            assertThat(fromBin.op()).isEqualTo(fromLib.op());
            assertThat(fromBin.nftMessage()).isEqualTo(fromLib.nftMessage());
            assertThat(new NftReader(bin).read()).isEqualTo(NftFixtures.ruleset());
            assertThatThrownBy(() -> bin.check(bad)).hasMessageStartingWith("nft rejected op 2 of 3");
        }
    }

    @Test
    void backendsPreferLibnftablesAndFallBackToTheBinary() {
        try (TestNetns ns = TestNetns.create("knft-pick");
             NftBackend preferred = NftBackends.open(ns.name());
             NftBackend fallback = NftBackends.open(ns.name(), "libnftables-missing.so.9")) {
            assertThat(preferred).isInstanceOf(LibNftables.class);
            assertThat(preferred.name()).isEqualTo("libnftables.so.1 in netns " + ns.name());
            assertThat(fallback).isInstanceOf(NftBinary.class);
            assertThat(fallback.name()).endsWith("/nft in netns " + ns.name());

            fallback.apply(NftFixtures.render(NftFixtures.ruleset()));
            assertThat(new NftReader(preferred).read()).isEqualTo(NftFixtures.ruleset());
        }
    }

    @Test
    void aMissingNamespaceIsAnErrorNotAFallback() {
        assumeTrue(TestNetns.isRoot(), "needs root");
        assertThatThrownBy(() -> NftBackends.open("mwan4t-no-such-netns"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("mwan4t-no-such-netns")
                .hasMessageContaining("does not exist");
    }

    private static NftException catchNft(Runnable r) {
        try {
            r.run();
        } catch (NftException e) {
            return e;
        }
        throw new AssertionError("expected nft to reject the script");
    }
}

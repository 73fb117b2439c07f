package org.mwan4.kernel.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Family;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.testing.TestNetns;

/** Conntrack entries with various marks in a fresh namespace; only the marked ones go. */
@Tag("kernel")
class ConntrackKernelTest {

    private static void insert(TestNetns ns, String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "conntrack";
        cmd[1] = "-I";
        System.arraycopy(args, 0, cmd, 2, args.length);
        ns.exec(cmd);
    }

    /** The remaining entries as "proto sport mark" from {@code conntrack -L}. */
    private static List<String> remaining(TestNetns ns, String family) {
        return Arrays.stream(ns.exec("conntrack", "-L", "-f", family).split("\n"))
                .filter(l -> l.contains("src="))
                .map(l -> l.split("\\s+")[0] + " " + field(l, "sport=", "type=") + " mark=" + field(l, "mark=", "mark="))
                .sorted().toList();
    }

    private static String field(String line, String key, String alt) {
        int i = line.indexOf(key) >= 0 ? line.indexOf(key) : line.indexOf(alt);
        return line.substring(i + (line.indexOf(key) >= 0 ? key.length() : alt.length())).split("\\s+")[0];
    }

    @Test
    void deletesOnlyEntriesWhoseMarkMatchesUnderTheMask() {
        try (TestNetns ns = TestNetns.create("ct");
             NetnsThread t = NetnsThread.enter(ns.name());
             Conntrack ct = Conntrack.open(t)) {
            String v4 = "-s 192.0.2.1 -d 192.0.2.2 -t 300";
            insert(ns, (v4 + " -p udp --sport 1001 --dport 53 --mark 0x100").split(" "));
            insert(ns, (v4 + " -p udp --sport 1002 --dport 53 --mark 0x10100").split(" "));   // bits outside the mask
            insert(ns, (v4 + " -p tcp --sport 1003 --dport 443 --state ESTABLISHED --mark 0x100").split(" "));
            insert(ns, (v4 + " -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77 --mark 0x100").split(" "));
            insert(ns, (v4 + " -p udp --sport 1005 --dport 53 --mark 0x100 --zone 5").split(" "));
            insert(ns, (v4 + " -p udp --sport 2001 --dport 53 --mark 0x200").split(" "));
            insert(ns, (v4 + " -p udp --sport 2002 --dport 53 --mark 0x1100").split(" "));
            insert(ns, (v4 + " -p udp --sport 2003 --dport 53 --mark 0").split(" "));
            insert(ns, "-s", "2001:db8::1", "-d", "2001:db8::2", "-t", "300", "-p", "udp", "--sport", "3001", "--dport", "53", "--mark", "0x100");
            insert(ns, "-s", "2001:db8::1", "-d", "2001:db8::2", "-t", "300", "-p", "udp", "--sport", "3002", "--dport", "53", "--mark", "0x200");

            assertThat(ct.deleteMarked(Family.IPV4, 0x100, 0x3f00)).isEqualTo(5);

            assertThat(remaining(ns, "ipv4")).containsExactly("udp 2001 mark=512", "udp 2002 mark=4352", "udp 2003 mark=0");
            assertThat(remaining(ns, "ipv6")).containsExactly("udp 3001 mark=256", "udp 3002 mark=512");

            assertThat(ct.deleteMarked(Family.IPV6, 0x100, 0x3f00)).isEqualTo(1);
            assertThat(remaining(ns, "ipv6")).containsExactly("udp 3002 mark=512");
            assertThat(ct.deleteMarked(Family.IPV6, 0x100, 0x3f00)).as("nothing left to delete").isZero();
        }
    }

    @Test
    void theKernelFiltersTheDumpByMarkAndFamily() {
        try (TestNetns ns = TestNetns.create("ctdump");
             NetnsThread t = NetnsThread.enter(ns.name());
             Conntrack ct = Conntrack.open(t)) {
            for (int i = 0; i < 6; i++) {
                insert(ns, "-s", "192.0.2.1", "-d", "192.0.2.2", "-t", "300", "-p", "udp", "--sport", String.valueOf(4000 + i),
                        "--dport", "53", "--mark", "0x" + Integer.toHexString(0x100 * (1 + i % 3)));
            }
            insert(ns, "-s", "2001:db8::1", "-d", "2001:db8::2", "-t", "300", "-p", "udp", "--sport", "3001", "--dport", "53", "--mark", "0x100");

            List<ConntrackEntry> marked = ct.listMarked(Family.IPV4, 0x200, 0x3f00);
            assertThat(marked).extracting(e -> e.original().srcPort()).containsExactlyInAnyOrder(4001, 4004);
            assertThat(marked).allSatisfy(e -> {
                assertThat(e.family()).isEqualTo(Family.IPV4);
                assertThat(e.mark()).isEqualTo(0x200);
                assertThat(e.id()).isNotZero();
            });
        }
    }

    @Test
    void realFlowsMarkedByNftOnlyTheMarkedOnesGo() throws Exception {
        try (TestNetns ns = TestNetns.create("ctflow");
             NetnsThread t = NetnsThread.enter(ns.name());
             Conntrack ct = Conntrack.open(t)) {
            ns.exec("ip", "link", "add", "cta", "type", "veth", "peer", "name", "ctb");
            ns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "cta");
            ns.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "ctb");
            ns.exec("ip", "link", "set", "cta", "up");
            ns.exec("ip", "link", "set", "ctb", "up");
            ns.nft("""
                    table inet mwan4test {
                        chain out {
                            type filter hook output priority 0;
                            udp dport 5001 ct mark set 0x100
                            udp dport 5002 ct mark set 0x200
                        }
                    }
                    """);
            t.call(() -> {
                for (int port : new int[] {5001, 5002, 5003}) {
                    try (DatagramChannel c = DatagramChannel.open()) {
                        c.bind(new InetSocketAddress("192.0.2.1", 0));
                        c.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("192.0.2.2", port));
                    }
                }
                return null;
            });
            assertThat(ns.exec("conntrack", "-L", "-p", "udp")).contains("dport=5001", "dport=5002", "dport=5003");

            assertThat(ct.deleteMarked(Family.IPV4, 0x100, 0x3f00)).isEqualTo(1);

            String left = ns.exec("conntrack", "-L", "-p", "udp");
            assertThat(left).doesNotContain("dport=5001").contains("dport=5002", "dport=5003");
        }
    }

    @ParameterizedTest(name = "mark {0} mask {1}")
    @CsvSource({"0x0,0x0", "0x0,0x3f00", "0x100,0x0", "0x4100,0x3f00"})
    void refusesMarksThatWouldMatchEverythingOrNothing(String mark, String mask) {
        try (TestNetns ns = TestNetns.create("ctbad");
             NetnsThread t = NetnsThread.enter(ns.name());
             Conntrack ct = Conntrack.open(t)) {
            insert(ns, "-s", "192.0.2.1", "-d", "192.0.2.2", "-t", "300", "-p", "udp", "--sport", "1", "--dport", "53", "--mark", "0x100");
            assertThatThrownBy(() -> ct.deleteMarked(Family.IPV4, Integer.decode(mark), Integer.decode(mask)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing conntrack flush");
            assertThat(remaining(ns, "ipv4")).hasSize(1);
        }
    }
}

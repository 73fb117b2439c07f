package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.api.ApiServer;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Whoami;
import org.mwan4.lab.WithLab;

/**
 * {@code mwan4 use wan2 CMD} in the lab, run as the real CLI process ({@code java org.mwan4.cli.Main}) against the
 * daemon's API socket: the default rule sends router-originated traffic through wan1, and TCP connections (IPv4 and
 * IPv6), a UDP exchange and pings of a command started with {@code mwan4 use wan2} leave through wan2 (the internet's servers see
 * wan2's address; ISP 2 counts the pings, ISP 1 none). CMD enters the router namespace with
 * {@code nsenter --net} (cgroups are per process, not per namespace). Exit codes pass through.
 */
@WithLab(targets = 2)
@Tag("e2e")
class UseE2ETest {
    private static Running mwan4;
    private static ApiServer api;
    private static Path dir;

    @BeforeAll
    static void start(Lab lab) throws IOException {
        dir = Files.createTempDirectory("mwan4t-use-");
        String config = Uci.wans(lab, List.of(), Uci.ROUTES + Uci.everything("via_wan1"))
                .replace("option mmx_mask '0x3F00'\n", "option mmx_mask '0x3F00'\n\toption use_cgroup 'mwan4t-" + lab.id() + "'\n");
        mwan4 = Running.start(lab, config);
        api = ApiServer.start(mwan4.daemon.control(), ApiServer.Options.at(dir.resolve("mwan4.sock")), java.time.Clock.systemUTC());
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        mwan4.awaitStatus("wan2", Family.IPV4, TrackerStatus.ONLINE);
    }

    @AfterAll
    static void stop() throws IOException {
        if (api != null) {
            api.close();
        }
        if (mwan4 != null) {
            String cgroups = mwan4.daemon.state().useCgroups().directory();
            mwan4.close();
            assertThat(cgroups).isNotEmpty();
            assertThat(Path.of(cgroups)).as("the daemon removes its cgroups at stop").doesNotExist();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    record Ran(int code, String output) {}

    /** {@code mwan4 ARGS...} as its own JVM (the classes and libraries of this test run), waited for. */
    static Ran mwan4(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.mwan4.cli.Main"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A bash command in the router namespace (its own process, like {@code ip netns exec} minus the /sys remount). */
    static List<String> inRouter(Lab lab, String script) {
        return List.of("nsenter", "--net=/var/run/netns/" + lab.router().name(), "bash", "-c", script);
    }

    static Ran use(String iface, List<String> cmd) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("use", "--socket", dir.resolve("mwan4.sock").toString(), iface));
        args.addAll(cmd);
        return mwan4(args.toArray(String[]::new));
    }

    /**
     * TCP: the whoami line the server sends on connect; UDP: its answer to one datagram. Both into {@code out}, one
     * line each.
     */
    static String tcpAndUdp(IpAddress server, Path out) {
        return "exec 3<>/dev/tcp/" + server + "/7000 && read -t 3 tcp <&3 && exec 3<&- && "
                // bash's read takes a byte at a time, which would cut a datagram short: dd reads it whole
                + "exec 4<>/dev/udp/" + server + "/7000 && echo hello >&4 && udp=$(timeout 3 dd bs=512 count=1 status=none <&4) && "
                + "printf '%s\\n%s\\n' \"$tcp\" \"$udp\" > " + out;
    }

    static List<String> wansSeen(Lab lab, Path out) throws IOException {
        return Files.readAllLines(out).stream()
                .map(l -> Whoami.parse(l).flatMap(w -> lab.wanOf(w.address())).orElse("unknown: " + l)).toList();
    }

    @Test
    void aCommandRunWithUseLeavesThroughThatWanAndOthersFollowTheRules(Lab lab) throws Exception {
        IpAddress server = lab.internet().server(Family.IPV4);
        Path plain = dir.resolve("plain.txt");
        Process p = new ProcessBuilder(inRouter(lab, tcpAndUdp(server, plain))).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        assertThat(wansSeen(lab, plain)).as("router-originated traffic follows the default rule").containsExactly("wan1", "wan1");

        Path used = dir.resolve("used.txt");
        Ran r = use("wan2", inRouter(lab, tcpAndUdp(server, used)));
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(wansSeen(lab, used)).as("TCP and UDP of mwan4 use wan2").containsExactly("wan2", "wan2");

        Path v6 = dir.resolve("v6.txt");
        String tcp6 = "exec 3<>/dev/tcp/" + lab.internet().server(Family.IPV6) + "/7000 && read -t 3 tcp <&3 && echo \"$tcp\" > ";
        assertThat(new ProcessBuilder(inRouter(lab, tcp6 + v6)).inheritIO().start().waitFor()).isZero();
        assertThat(wansSeen(lab, v6)).as("IPv6 follows the default rule").containsExactly("wan1");
        Ran r6 = use("wan2", inRouter(lab, tcp6 + v6));
        assertThat(r6.code()).as(r6.output()).isZero();
        assertThat(wansSeen(lab, v6)).as("IPv6 TCP of mwan4 use wan2").containsExactly("wan2");
    }

    @Test
    void pingsOfACommandRunWithUseReachTheInternetThroughThatWansIsp(Lab lab) throws Exception {
        IpAddress target = lab.internet().targets(Family.IPV4).get(1); // no tracker pings this one
        String count = "table inet mwan4t_use {\n chain pre {\n  type filter hook prerouting priority -300; policy accept;\n"
                + "  ip daddr " + target + " icmp type echo-request counter\n }\n}\n";
        lab.isp(1).namespace().nft(count);
        lab.isp(2).namespace().nft(count);
        Ran r = use("wan2", inRouter(lab, "ping -c 4 -i 0.05 -W 1 " + target + " > /dev/null"));
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(pings(lab, 2)).as("ISP 2 forwarded every echo request").isEqualTo(4);
        assertThat(pings(lab, 1)).as("ISP 1 saw none").isZero();
        Process plain = new ProcessBuilder(inRouter(lab, "ping -c 2 -i 0.05 -W 1 " + target + " > /dev/null")).start();
        assertThat(plain.waitFor()).isZero();
        assertThat(pings(lab, 1)).as("without use: wan1, the default rule").isEqualTo(2);
    }

    static long pings(Lab lab, int isp) {
        String listing = lab.isp(isp).namespace().exec("nft", "list", "chain", "inet", "mwan4t_use", "pre").run();
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(listing);
        assertThat(m.find()).as(listing).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void exitCodesPassThrough(Lab lab) throws Exception {
        assertThat(use("wan2", List.of("sh", "-c", "exit 7")).code()).isEqualTo(7);
        assertThat(use("wan2", inRouter(lab, "kill -TERM $$")).code()).as("killed by SIGTERM").isEqualTo(143);
        assertThat(use("wan1", List.of("true")).code()).isZero();
    }

    @Test
    void unknownInterfacesAreListedAndAStoppedDaemonIsExit3(Lab lab) throws Exception {
        Ran unknown = use("wan9", List.of("true"));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.output()).contains("mwan4 use: unknown interface 'wan9'", "known interfaces: wan1, wan2");
        Ran none = mwan4("use", "--socket", dir.resolve("none.sock").toString(), "wan2", "true");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.output()).contains("mwan4 is not running (no socket at " + dir.resolve("none.sock") + ")");
    }
}

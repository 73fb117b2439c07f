package org.mwan4.bench;

import java.util.concurrent.TimeUnit;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.probe.ContinuousVerdict;
import org.mwan4.probe.QualityWindow;
import org.mwan4.probe.RoundVerdict;
import org.mwan4.probe.method.IcmpEcho;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The user-space work per probe, without sockets: building an echo request, parsing its reply, and the
 * per-target bookkeeping of a round (rounds mode) or a tick (continuous mode). The CPU of a steady 500 probes/s
 * load including system calls is measured by ProbeCpuBench (src/test), since JMH times operations, not load.
 * <pre>
 * mvn -B -o -Pbench -DskipTests package
 * java -jar target/benchmarks.jar ProbeHotPathBench -jvmArgsAppend --enable-native-access=ALL-UNNAMED
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProbeHotPathBench {
    private static final IpAddress TARGET = IpAddress.parse("203.0.113.10").orElseThrow();
    private byte[] replyPacket;
    private QualityWindow window;
    private Tracking tracking;
    private ContinuousVerdict verdict;
    private long seq;

    @Setup
    public void setup() {
        byte[] reply = IcmpEcho.replyTo(Family.IPV4, IcmpEcho.request(Family.IPV4, 0x1234, 7, 42L, 56));
        replyPacket = new byte[20 + reply.length];
        replyPacket[0] = 0x45;
        replyPacket[9] = 1;
        System.arraycopy(TARGET.bytes(), 0, replyPacket, 12, 4);
        System.arraycopy(reply, 0, replyPacket, 20, reply.length);
        tracking = new Tracking(java.util.List.of(TARGET), TrackMethod.PING, 1, 1, java.time.Duration.ofSeconds(1), 56, 60,
                java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(200), false, 3, 3,
                Tracking.Quality.DEFAULT, false, null, Tracking.TrackMode.CONTINUOUS, 20, java.time.Duration.ZERO);
        window = new QualityWindow(20);
        verdict = ContinuousVerdict.initial();
    }

    @Benchmark
    public byte[] echoRequest() {
        return IcmpEcho.request(Family.IPV4, 0x1234, (int) (seq++ & 0xFFFF), 42L, 56);
    }

    @Benchmark
    public Object echoReplyParse() {
        return IcmpEcho.parseReply(Family.IPV4, replyPacket, replyPacket.length, null);
    }

    @Benchmark
    public Object roundVerdict() {
        return RoundVerdict.classify(TARGET, 3, 2, 30_000_000L, Tracking.Quality.DEFAULT);
    }

    /** One continuous-mode tick for one target: send, answer, expire, stats, verdict. */
    @Benchmark
    public void continuousTick(Blackhole bh) {
        long s = seq++;
        long now = s * 200_000_000L;
        window.sent(s, now + window.lossAfterNanos(50_000_000L, 1_000_000_000L));
        window.answered(s, 20_000_000L + (s & 7) * 1_000_000L);
        window.expire(now);
        QualityWindow.Stats st = window.stats();
        verdict = verdict.next(st, tracking, now);
        bh.consume(st);
    }
}

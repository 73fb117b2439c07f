package org.mwan4.demo;

import java.util.List;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The demo's mwan4 config: every WAN dual-stack, tracked by ping of the internet's targets at a short interval,
 * {@code check_quality} on; one {@code balanced} strategy with weight 3 for {@code wan1} and 1 for the others;
 * default rules for both families. Pure: the same settings give the same text.
 *
 * @param wans      devices, also interface names ({@code wan1}, {@code wan2}, ...)
 * @param targets4  IPv4 track targets
 * @param targets6  IPv6 track targets
 * @param intervalMs probe round interval (also failure/recovery interval)
 * @param down      failed rounds before offline
 * @param up        good rounds before online
 */
public record DemoConfig(List<String> wans, List<IpAddress> targets4, List<IpAddress> targets6, int intervalMs, int down, int up) {

    public DemoConfig {
        wans = List.copyOf(wans);
        targets4 = List.copyOf(targets4);
        targets6 = List.copyOf(targets6);
        if (wans.isEmpty() || targets4.isEmpty() || targets6.isEmpty()) {
            throw new IllegalArgumentException("the demo config needs WANs and targets of both families");
        }
    }

    /** The defaults: 0.5 s rounds, down 3, up 3. */
    public static DemoConfig standard(List<String> wans, List<IpAddress> targets4, List<IpAddress> targets6) {
        return new DemoConfig(wans, targets4, targets6, 500, 3, 3);
    }

    public int weight(String wan) {
        return wan.equals(wans.getFirst()) ? 3 : 1;
    }

    /** The config file text (UCI). */
    public String text() {
        String seconds = seconds(intervalMs);
        // 10 echoes per target and round, 40 ms apart: loss is measured in 10 % steps within one round
        String timeout = seconds(Math.max(100, intervalMs * 4 / 5));
        StringBuilder sb = new StringBuilder("config globals 'globals'\n\toption mmx_mask '0x3F00'\n\n");
        for (String w : wans) {
            sb.append("config interface '").append(w).append("'\n")
              .append("\toption enabled '1'\n")
              .append("\toption device '").append(w).append("'\n")
              .append("\tlist family 'ipv4'\n\tlist family 'ipv6'\n");
            for (Family f : Family.values()) {
                for (IpAddress t : f == Family.IPV4 ? targets4 : targets6) {
                    sb.append("\tlist track_ip '").append(t).append("'\n");
                }
            }
            sb.append("\toption reliability '").append(Math.min(2, Math.min(targets4.size(), targets6.size()))).append("'\n")
              .append("\toption count '10'\n")
              .append("\toption timeout '").append(timeout).append("'\n")
              .append("\toption interval '").append(seconds).append("'\n")
              .append("\toption failure_interval '").append(seconds).append("'\n")
              .append("\toption recovery_interval '").append(seconds).append("'\n")
              .append("\toption down '").append(down).append("'\n")
              .append("\toption up '").append(up).append("'\n")
              .append("\toption check_quality '1'\n")
              .append("\toption failure_loss '20'\n")
              .append("\toption recovery_loss '5'\n")
              .append("\toption failure_latency '1000'\n")
              .append("\toption recovery_latency '500'\n\n");
        }
        for (String w : wans) {
            sb.append("config route '").append(w).append("_m1_w").append(weight(w)).append("'\n")
              .append("\toption interface '").append(w).append("'\n")
              .append("\toption metric '1'\n")
              .append("\toption weight '").append(weight(w)).append("'\n\n");
        }
        sb.append("config strategy 'balanced'\n");
        for (String w : wans) {
            sb.append("\tlist use_route '").append(w).append("_m1_w").append(weight(w)).append("'\n");
        }
        sb.append("\toption last_resort 'unreachable'\n\n");
        sb.append("config rule 'default_v4'\n\toption dest_ip '0.0.0.0/0'\n\toption use_strategy 'balanced'\n\tlist family 'ipv4'\n\n");
        sb.append("config rule 'default_v6'\n\toption dest_ip '::/0'\n\toption use_strategy 'balanced'\n\tlist family 'ipv6'\n");
        return sb.toString();
    }

    private static String seconds(int ms) {
        return ms % 1000 == 0 ? Integer.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0)
                .replaceAll("0+$", "");
    }
}

package org.mwan4.e2e;

import java.util.List;
import org.mwan4.config.Family;
import org.mwan4.lab.Lab;

/** Config text for end-to-end tests: tracked lab WANs with fast rounds, plus whatever sections a test adds. */
final class Uci {
    private Uci() {}

    /**
     * {@code wan1..wanN}, dual-stack, each tracking the internet's first target of each family every 0.2 s,
     * down 2 / up 2, then {@code rest}.
     *
     * @param extra lines added to every interface section (e.g. {@code list flush_conntrack 'ifdown'})
     */
    static String wans(Lab lab, List<String> extra, String rest) {
        StringBuilder sb = new StringBuilder("config globals 'globals'\n\toption mmx_mask '0x3F00'\n\n");
        for (var isp : lab.isps()) {
            sb.append("config interface '").append(isp.wan()).append("'\n")
              .append("\toption enabled '1'\n\toption device '").append(isp.wan()).append("'\n")
              .append("\tlist family 'ipv4'\n\tlist family 'ipv6'\n");
            for (Family f : Family.values()) {
                sb.append("\tlist track_ip '").append(lab.internet().targets(f).getFirst()).append("'\n");
            }
            sb.append("""
                    	option reliability '1'
                    	option count '1'
                    	option timeout '0.3'
                    	option interval '0.2'
                    	option down '2'
                    	option up '2'
                    """);
            extra.forEach(l -> sb.append('\t').append(l).append('\n'));
            sb.append('\n');
        }
        return sb.append(rest).toString();
    }

    /** Routes {@code wanK_only} (metric 1), {@code wan1_w3} / {@code wan2_w1} and {@code wan2_backup} (metric 2). */
    static final String ROUTES = """
            config route 'wan1_only'
            	option interface 'wan1'
            	option metric '1'
            	option weight '1'

            config route 'wan2_only'
            	option interface 'wan2'
            	option metric '1'
            	option weight '1'

            config route 'wan1_w3'
            	option interface 'wan1'
            	option metric '1'
            	option weight '3'

            config route 'wan2_w1'
            	option interface 'wan2'
            	option metric '1'
            	option weight '1'

            config route 'wan2_backup'
            	option interface 'wan2'
            	option metric '2'
            	option weight '1'

            config strategy 'balanced'
            	list use_route 'wan1_w3'
            	list use_route 'wan2_w1'

            config strategy 'via_wan1'
            	list use_route 'wan1_only'

            config strategy 'via_wan2'
            	list use_route 'wan2_only'

            config strategy 'tiered'
            	list use_route 'wan1_only'
            	list use_route 'wan2_backup'

            """;

    /** A rule sending everything of both families to {@code strategy}. */
    static String everything(String strategy) {
        return "config rule 'all_v4'\n\toption dest_ip '0.0.0.0/0'\n\toption use_strategy '" + strategy + "'\n\tlist family 'ipv4'\n\n"
                + "config rule 'all_v6'\n\toption dest_ip '::/0'\n\toption use_strategy '" + strategy + "'\n\tlist family 'ipv6'\n\n";
    }
}

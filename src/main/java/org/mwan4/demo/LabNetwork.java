package org.mwan4.demo;

import java.util.List;
import org.mwan4.config.Family;
import org.mwan4.lab.Isp;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;

/** The lab as the demo's network: ISP {@code k} serves {@code wanK}; traffic is IPv4 from the LAN client. */
public record LabNetwork(Lab lab) implements DemoNetwork {

    @Override
    public List<String> wans() {
        return lab.isps().stream().map(Isp::wan).toList();
    }

    /** Equals {@code ip -n ISP link set down0 down|up}. */
    @Override
    public void carrier(String wan, boolean up) {
        if (up) {
            isp(wan).linkUp();
        } else {
            isp(wan).linkDown();
        }
    }

    /** Equals {@code ip netns exec ISP nft -f -} with a {@code numgen random mod 100 < N drop} rule. */
    @Override
    public void loss(String wan, int percent) {
        isp(wan).loss(percent);
    }

    @Override
    public Tally tally(int connections) {
        return lab.lanClient().tally(lab.internet().server(Family.IPV4), connections);
    }

    private Isp isp(String wan) {
        return lab.isps().stream().filter(i -> i.wan().equals(wan)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no WAN " + wan + " in lab " + lab.id()));
    }
}

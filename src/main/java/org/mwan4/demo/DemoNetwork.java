package org.mwan4.demo;

import java.util.List;
import org.mwan4.lab.Tally;

/** The network the demo plays with: WANs that fail in different ways, and a LAN client making connections. */
public interface DemoNetwork {

    /** The router's WAN devices in order ({@code wan1}, {@code wan2}, ...); also the interface names in the config. */
    List<String> wans();

    /** The WAN's carrier goes away ({@code false}) or returns. */
    void carrier(String wan, boolean up);

    /** The WAN's ISP drops {@code percent} % of the router's packets (0 stops it). */
    void loss(String wan, int percent);

    /** {@code connections} new TCP connections from the LAN client, tallied by the WAN they left through. */
    Tally tally(int connections);
}

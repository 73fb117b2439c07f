package org.mwan4.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /v1/strategies}: per strategy and family, the routes new connections go to right now. */
public record StrategyView(String name, String lastResort, List<FamilyShare> families) {
    public StrategyView {
        families = List.copyOf(families);
    }

    /**
     * @param metric   the metric tier in use (lowest online), null when nothing is online
     * @param members  the routes of that tier with their share; empty when nothing is online
     * @param fallback what traffic gets when nothing is online ({@code unreachable}, {@code blackhole},
     *                 {@code default}); null while members exist
     */
    public record FamilyShare(String family, Integer metric, List<Member> members, String fallback) {
        public FamilyShare {
            members = List.copyOf(members);
        }
    }

    /** One route of the active tier; {@code percent} is weight * 100 / total, rounded down, as mwan3 prints it. */
    public record Member(@JsonProperty("interface") String iface, String route, int weight, int total, int percent) {}
}

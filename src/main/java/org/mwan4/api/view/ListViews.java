package org.mwan4.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The envelopes of the list endpoints. */
public final class ListViews {
    private ListViews() {}

    /** {@code GET /v1/interfaces}; {@code now} as in {@link StatusView}. */
    public record Interfaces(String now, List<InterfaceView> interfaces) {
        public Interfaces {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** {@code GET /v1/interfaces/{name}}. */
    public record One(String now, @JsonProperty("interface") InterfaceView iface) {}

    /** {@code GET /v1/strategies}. */
    public record Strategies(List<StrategyView> strategies) {
        public Strategies {
            strategies = List.copyOf(strategies);
        }
    }

    /** {@code GET /v1/rules}. */
    public record Rules(List<RuleView> rules) {
        public Rules {
            rules = List.copyOf(rules);
        }
    }
}

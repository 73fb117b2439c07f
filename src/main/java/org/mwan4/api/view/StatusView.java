package org.mwan4.api.view;

import java.util.List;

/**
 * {@code GET /v1/status}: everything {@code mwan4 status} prints.
 *
 * @param now the daemon's clock when the answer was made (ISO-8601), so clients compute "online for" without
 *            trusting their own clock
 */
public record StatusView(String now, List<InterfaceView> interfaces, List<StrategyView> strategies,
                         ConnectedView connected, List<RuleView> rules) {
    public StatusView {
        interfaces = List.copyOf(interfaces);
        strategies = List.copyOf(strategies);
        rules = List.copyOf(rules);
    }
}

package org.mwan4.api.view;

import java.util.List;

/** {@code GET /v1/connected}: the networks that always use normal routing, per family. */
public record ConnectedView(List<Networks> families) {
    public ConnectedView {
        families = List.copyOf(families);
    }

    /** Elements of {@code mwan4_connected_<family>} and {@code mwan4_custom_<family>} as the daemon planned them. */
    public record Networks(String family, List<String> connected, List<String> custom) {
        public Networks {
            connected = List.copyOf(connected);
            custom = List.copyOf(custom);
        }
    }
}

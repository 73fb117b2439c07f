package org.mwan4.api;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.api.view.ConnectedView;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftSet;

/** {@code GET /v1/connected}: elements of the planned connected and custom sets (pure). */
final class Networks {
    private Networks() {}

    static ConnectedView of(Desired d) {
        List<ConnectedView.Networks> out = new ArrayList<>();
        for (Family f : Family.values()) {
            out.add(new ConnectedView.Networks(f.id(), elements(d, "mwan4_connected_" + f.id()),
                    elements(d, "mwan4_custom_" + f.id())));
        }
        return new ConnectedView(out);
    }

    private static List<String> elements(Desired d, String set) {
        NftSet s = d.sets().get(set);
        return s == null ? List.of() : s.elements().stream().map(Cidr::toString).toList();
    }
}

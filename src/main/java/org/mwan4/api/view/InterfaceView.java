package org.mwan4.api.view;

import java.util.List;

/**
 * One configured interface as {@code GET /v1/interfaces} shows it.
 *
 * @param device       the Linux device, null when unknown
 * @param mark         the fwmark in hex ({@code 0x100}), {@code 0x0} when the id does not fit mmx_mask
 * @param operatorDown taken down with {@code mwan4 ifdown}
 */
public record InterfaceView(String name, int id, boolean enabled, String device, String mark, int table,
                            boolean operatorDown, List<FamilyView> families) {
    public InterfaceView {
        families = List.copyOf(families);
    }

    /**
     * The tracker of one family.
     *
     * @param error        mwan3's sum of what is missing from the plan (1 ip rule 1000+id, 2 rule 2000+id, 4 rule
     *                     3000+id, 8 the iface-in chain, 16 the default route in table id); null when unknown
     * @param onlineSince  ISO-8601, null while not online
     * @param offlineSince ISO-8601, null while online
     * @param upSince      ISO-8601: when the interface came up (link up, ifup, or mwan4's start with the link up);
     *                     null while its link is down, it is taken down with ifdown, or it is not tracked
     * @param onlineSeconds whole seconds from {@code onlineSince} to the answer's {@code now} (mwan3's "online"),
     *                     null while not online
     * @param uptimeSeconds whole seconds from {@code upSince} to {@code now} (mwan3's "uptime"), null while not up
     */
    public record FamilyView(String family, String status, String tracking, Integer error, int score, int lost, int turn,
                             String onlineSince, String offlineSince, String upSince, Long onlineSeconds,
                             Long uptimeSeconds, String gateway, List<TargetView> targets) {
        public FamilyView {
            targets = List.copyOf(targets);
        }

        /** Without up time and durations (kept for code written before they existed). */
        public FamilyView(String family, String status, String tracking, Integer error, int score, int lost, int turn,
                          String onlineSince, String offlineSince, String gateway, List<TargetView> targets) {
            this(family, status, tracking, error, score, lost, turn, onlineSince, offlineSince, null, null, null, gateway,
                    targets);
        }
    }

    /** One track_ip and the last round's result (measurements null when not measured). */
    public record TargetView(String ip, String status, Double latencyMs, Integer lossPercent, Double jitterMs) {}
}

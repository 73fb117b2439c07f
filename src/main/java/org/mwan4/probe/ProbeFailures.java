package org.mwan4.probe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator why a tracker's probes fail (device missing, source address gone, permission...), once per
 * distinct reason instead of once per probe, and when probes work again. A failed probe itself just counts as
 * lost; this is only the log line.
 */
final class ProbeFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeFailures.class);

    private final String tracker;
    private String lastReason;

    ProbeFailures(String tracker) {
        this.tracker = tracker;
    }

    void failed(String reason) {
        if (!reason.equals(lastReason)) {
            lastReason = reason;
            LOG.warn("{}: probe failed: {}; its targets count as not answering until probes work again", tracker, reason);
        }
    }

    void answered() {
        if (lastReason != null) {
            LOG.info("{}: probes work again (last failure was: {})", tracker, lastReason);
            lastReason = null;
        }
    }
}

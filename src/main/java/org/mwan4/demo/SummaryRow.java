package org.mwan4.demo;

import java.time.Duration;
import java.util.Optional;

/**
 * One event of the demo as the summary table shows it.
 *
 * @param event       what happened ({@code wan1 loses carrier})
 * @param detection   from the impairment to the tracker's verdict (empty: not seen)
 * @param kernelApply the transaction that moved the traffic (empty: none seen)
 * @param failover    from the impairment to that transaction's commit
 * @param traffic     how the split of new connections changed ({@code wan1 75% -> 0%})
 * @param ok          whether the step behaved as expected
 * @param note        anything else ({@code wan1 untouched})
 */
public record SummaryRow(String event, Optional<Duration> detection, Optional<Duration> kernelApply,
                         Optional<Duration> failover, String traffic, boolean ok, String note) {}

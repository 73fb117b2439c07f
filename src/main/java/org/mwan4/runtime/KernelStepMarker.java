package org.mwan4.runtime;

import java.util.Optional;
import org.mwan4.core.Event;

/**
 * Which event, if any, records a kernel step in the event log, so a replay diffs at the same points the
 * daemon did (coalescing makes those points depend on timing, not on the events alone).
 */
@FunctionalInterface
interface KernelStepMarker {
    Optional<Event> markerFor(KernelStepper.Outcome.Applied step);
}

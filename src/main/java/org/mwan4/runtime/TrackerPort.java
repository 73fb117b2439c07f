package org.mwan4.runtime;

import org.mwan4.core.Effect;

/**
 * Where tracker effects ({@link Effect.StartTracker}, {@link Effect.StopTracker}, {@link Effect.RetimeTracker})
 * go: the probe engine. Must return at once (the engine runs them on its own thread).
 */
@FunctionalInterface
public interface TrackerPort {
    void apply(Effect effect);

    /** No probing (dry runs without probes, tests). */
    static TrackerPort none() {
        return effect -> {};
    }
}

package org.mwan4.core;

import java.util.List;

/** What one reducer step yields: the next state and the effects for the edges, in the order they must run. */
public record Next(State state, List<Effect> effects) {
    public Next {
        effects = List.copyOf(effects);
    }
}

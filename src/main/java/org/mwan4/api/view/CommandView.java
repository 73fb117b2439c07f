package org.mwan4.api.view;

import java.util.List;

/** Answer of POST ifup/ifdown/reload: whether it was done, what happened, config errors of a rejected reload. */
public record CommandView(boolean ok, String message, List<DiagnosticView> errors) {
    public CommandView {
        errors = List.copyOf(errors);
    }
}

package org.mwan4.api.view;

import java.util.List;

/** Answer of POST /v1/plan: the ops the config would cause, or every error that rejects it. Nothing is applied. */
public record PlanView(boolean valid, List<DiagnosticView> errors, List<DiagnosticView> warnings, List<String> ops) {
    public PlanView {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        ops = List.copyOf(ops);
    }
}

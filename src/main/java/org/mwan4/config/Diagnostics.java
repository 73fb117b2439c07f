package org.mwan4.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every error and warning of one load, so all are reported at once (file order). */
final class Diagnostics {
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    void error(Position p, String subject, String option, String message) {
        errors.add(Diagnostic.error(p, subject, option, message));
    }

    void warning(Position p, String subject, String option, String message) {
        warnings.add(Diagnostic.warning(p, subject, option, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<Diagnostic> errors() {
        return sorted(errors);
    }

    List<Diagnostic> warnings() {
        return sorted(warnings);
    }

    private static List<Diagnostic> sorted(List<Diagnostic> ds) {
        // stable: same line keeps the order the checks ran in
        return ds.stream().sorted(Comparator.comparingInt((Diagnostic d) -> d.position().line())).toList();
    }
}

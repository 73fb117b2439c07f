package org.mwan4.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used; carries every error found (never just the first). */
public final class ConfigException extends Exception {
    private final List<Diagnostic> errors;

    public ConfigException(List<Diagnostic> errors) {
        super(errors.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<Diagnostic> errors() {
        return errors;
    }
}

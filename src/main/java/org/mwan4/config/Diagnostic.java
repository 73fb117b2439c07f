package org.mwan4.config;

/**
 * One problem found in a config file. Printed as
 * {@code mwan4:42: route 'wan_m1_w3': interface 'wna' is not defined (did you mean 'wan'?)}.
 *
 * @param subject the section, e.g. {@code route 'wan_m1_w3'} or {@code interface @interface[2]}
 * @param option  the option name, or empty when the whole section is meant
 */
public record Diagnostic(Severity severity, Position position, String subject, String option, String message) {
    public enum Severity { ERROR, WARNING }

    public static Diagnostic error(Position p, String subject, String option, String message) {
        return new Diagnostic(Severity.ERROR, p, subject, option, message);
    }

    public static Diagnostic warning(Position p, String subject, String option, String message) {
        return new Diagnostic(Severity.WARNING, p, subject, option, message);
    }

    @Override
    public String toString() {
        String where = position.file() + ":" + position.line() + ": ";
        String head = subject.isEmpty() ? "" : subject + ": ";
        return where + (severity == Severity.WARNING ? "warning: " : "") + head + message;
    }
}

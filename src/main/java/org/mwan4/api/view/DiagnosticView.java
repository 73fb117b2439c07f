package org.mwan4.api.view;

/** A config error or warning with its place: {@code mwan4:42: route 'wan_m1': interface 'wna' is not defined}. */
public record DiagnosticView(String severity, String file, int line, int column, String section, String option,
                             String message, String text) {}

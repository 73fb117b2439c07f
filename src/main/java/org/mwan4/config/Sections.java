package org.mwan4.config;

import java.util.List;
import java.util.Optional;
import org.mwan4.config.uci.UciSection;

/** Everything read from one file, each record with the section it came from (for option positions). */
record Sections(
        Globals globals,
        UciSection globalsSection,
        List<Read<Interface>> interfaces,
        List<Read<Route>> routes,
        List<Read<Strategy>> strategies,
        List<Read<Rule>> rules) {

    /** A record and its section. */
    record Read<T>(T value, UciSection section) {
        /** Where an option's (last) value was written, else the section. */
        Position at(String option) {
            return section.option(option).map(o -> o.last().position()).orElse(section.position());
        }

        /** Where the value {@code item} of list {@code option} was written, else the option. */
        Position at(String option, String item) {
            return section.option(option).flatMap(o -> o.values().stream()
                    .filter(v -> v.text().equals(item) || v.text().contains(item)).findFirst())
                    .map(v -> v.position()).orElse(at(option));
        }

        String subject() {
            return section.label();
        }
    }

    <T> List<T> values(List<Read<T>> reads) {
        return reads.stream().map(Read::value).toList();
    }

    List<String> interfaceNames() {
        return interfaces.stream().map(r -> r.value().name()).toList();
    }

    Optional<Interface> iface(String name) {
        return interfaces.stream().map(Read::value).filter(i -> i.name().equals(name)).findFirst();
    }
}

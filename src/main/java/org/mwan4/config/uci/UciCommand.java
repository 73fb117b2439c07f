package org.mwan4.config.uci;

import java.util.Optional;

/** One command of a UCI file, as libuci reads it; a line may hold several, separated by {@code ;}. */
public sealed interface UciCommand {

    /** The command word itself ({@code config}, {@code c}, {@code option}, ...). */
    UciToken keyword();

    /** {@code package NAME}: libuci checks the name and otherwise ignores it when it loads a file by name. */
    record Package(UciToken keyword, UciToken name) implements UciCommand {}

    /** {@code config TYPE ['NAME']}; without a name the section is anonymous ({@code @TYPE[N]}). */
    record Config(UciToken keyword, UciToken type, Optional<UciToken> name) implements UciCommand {}

    /**
     * {@code option NAME VALUE} or {@code list NAME VALUE}. A missing value reads as empty, which for
     * {@code option} deletes the option (libuci's uci_set with an empty value).
     */
    record Option(UciToken keyword, UciToken name, Optional<UciToken> value, boolean list) implements UciCommand {}
}

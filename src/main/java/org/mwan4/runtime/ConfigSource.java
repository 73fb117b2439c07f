package org.mwan4.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.mwan4.core.Event;

/**
 * Reads the config files into a {@link Event.ConfigLoaded} (which carries their text, so a replay never
 * needs the files): at start, on SIGHUP and on {@code mwan4 reload}.
 *
 * @param config  e.g. /etc/config/mwan4
 * @param network e.g. /etc/config/network; a missing file is fine (devices then come from the config)
 */
public record ConfigSource(Path config, Path network) {

    /** Equals {@code cat /etc/config/mwan4 /etc/config/network}. */
    public Event.ConfigLoaded read(Instant at) throws IOException {
        String text = text(config);
        String networkText = network != null && Files.isRegularFile(network) ? text(network) : null;
        return new Event.ConfigLoaded(at, config.toString(), text, network == null ? null : network.toString(), networkText);
    }

    /** UTF-8, or ISO-8859-1 for files that are not UTF-8 (UCI files are bytes). */
    private static String text(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        }
    }
}

package org.mwan4.config;

/**
 * Text in, validated {@link Config} out. Pure: reads no file (callers pass the text), so the reducer
 * can call it on a {@code ConfigLoaded} event and a replay never needs the file.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Parses and validates an mwan4 config.
     *
     * @param path        shown in messages ({@code mwan4:42: ...}); use the path the text came from
     * @param text        the UCI text of /etc/config/mwan4
     * @param networkText the text of /etc/config/network for device names, or null when not read
     * @throws ConfigException with every error found, each with file:line and option
     */
    public static Config load(String path, String text, String networkText) throws ConfigException {
        throw new UnsupportedOperationException("not implemented yet: the config issue fills this in");
    }
}

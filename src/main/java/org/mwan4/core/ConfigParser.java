package org.mwan4.core;

import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;

/**
 * Text in, validated config out; {@code org.mwan4.config.ConfigLoader::load} in production. The reducer takes it
 * as a parameter so it stays a pure function of its inputs.
 */
@FunctionalInterface
public interface ConfigParser {
    /**
     * @param networkPath the network file's path for messages (null: not read)
     * @param networkText its text (null: not read)
     */
    Config parse(String path, String text, String networkPath, String networkText) throws ConfigException;
}

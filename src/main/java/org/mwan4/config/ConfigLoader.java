package org.mwan4.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mwan4.config.uci.UciDocument;
import org.mwan4.config.uci.UciSection;

/**
 * Text in, validated {@link Config} out. Pure: reads no file (callers pass the text), so the reducer
 * can call it on a {@code ConfigLoaded} event and a replay never needs the file.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Section types of /etc/config/mwan4. */
    static final Set<String> SECTION_TYPES = new LinkedHashSet<>(List.of("globals", "interface", "route", "strategy", "rule"));

    /** The path shown for /etc/config/network when the caller does not say. */
    public static final String NETWORK_PATH = "/etc/config/network";

    /**
     * Parses and validates an mwan4 config.
     *
     * @param path        shown in messages ({@code mwan4:42: ...}); use the path the text came from
     * @param text        the UCI text of /etc/config/mwan4
     * @param networkText the text of /etc/config/network for device names, or null when not read
     * @throws ConfigException with every error found, each with file:line and option
     */
    public static Config load(String path, String text, String networkText) throws ConfigException {
        return load(path, text, NETWORK_PATH, networkText);
    }

    /** {@link #load(String, String, String)} with the path of the network file for its messages. */
    public static Config load(String path, String text, String networkPath, String networkText) throws ConfigException {
        UciDocument doc = UciDocument.parse(path, text);
        Map<String, String> devices = networkText == null ? Map.of() : NetworkDevices.read(networkPath, networkText);
        return load(doc, devices);
    }

    /** Validates an already parsed document. */
    public static Config load(UciDocument doc, Map<String, String> networkDevices) throws ConfigException {
        Diagnostics d = new Diagnostics();
        Globals globals = Globals.defaults();
        List<Sections.Read<Interface>> interfaces = new ArrayList<>();
        List<Sections.Read<Route>> routes = new ArrayList<>();
        List<Sections.Read<Strategy>> strategies = new ArrayList<>();
        List<Sections.Read<Rule>> rules = new ArrayList<>();
        UciSection globalsSection = null;
        for (UciSection s : doc.sections()) {
            for (var again : s.declarations().subList(1, s.declarations().size())) {
                d.error(again, s.label(), "", "declared a second time here (first at " + s.position().fileLine()
                        + "); uci merges both into one section - keep one");
            }
            switch (s.type()) {
                case "globals" -> {
                    if (globalsSection != null) {
                        d.error(s.position(), s.label(), "", "a second globals section (the first is at "
                                + globalsSection.position().fileLine() + ")");
                    } else {
                        globalsSection = s;
                        globals = SmallSections.globals(s, d);
                    }
                }
                case "interface" -> interfaces.add(new Sections.Read<>(InterfaceReader.read(s, interfaces.size() + 1, d), s));
                case "route" -> routes.add(new Sections.Read<>(SmallSections.route(s, d), s));
                case "strategy" -> strategies.add(new Sections.Read<>(SmallSections.strategy(s, d), s));
                case "rule" -> rules.add(new Sections.Read<>(RuleReader.read(s, d), s));
                case "member", "policy" -> d.error(s.position(), s.label(), "", "'" + s.type() + "' is the mwan3 name"
                        + " of this section type; run 'mwan4 migrate' (it becomes '"
                        + (s.type().equals("member") ? "route" : "strategy") + "')");
                default -> d.error(s.position(), s.label(), "", "unknown section type '" + s.type() + "'"
                        + Spelling.hint(s.type(), SECTION_TYPES));
            }
        }
        Sections all = new Sections(globals, globalsSection, interfaces, routes, strategies, rules);
        References.check(all, networkDevices, d);
        Warnings.check(all, d);
        if (d.hasErrors()) {
            throw new ConfigException(d.errors());
        }
        return new Config(doc.path(), globals, all.values(interfaces), all.values(routes), all.values(strategies),
                all.values(rules), new TreeMap<>(networkDevices), d.warnings());
    }

    /**
     * Warnings about going from {@code before} to {@code after} (a reload): an interface whose id changed
     * moves to another routing table and mark, so its connections and ip rules are renumbered.
     */
    public static List<Diagnostic> compare(Config before, Config after) {
        return Warnings.compare(before, after);
    }
}

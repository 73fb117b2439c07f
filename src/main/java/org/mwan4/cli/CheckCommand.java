package org.mwan4.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Interface;

/** {@code mwan4 check FILE}: validate a config like {@code nginx -t}, without touching the system. */
final class CheckCommand implements Command {

    @Override
    public Help help() {
        return new Help("check", "FILE", "validate a config file and report every problem in it",
                List.of(new Option("--network", "FILE", "also read /etc/config/network-style FILE for interface devices")),
                """
                Exit 0 and a one-line summary on stdout when FILE is valid (warnings go to stderr);
                exit 2 with every error on stderr, each as FILE:LINE: SECTION: MESSAGE, when it is not.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        String file = a.single("FILE");
        ConfigFile cfg = ConfigFile.read(Path.of(file), "config file");
        Optional<ConfigFile> network = a.value("--network").isPresent()
                ? Optional.of(ConfigFile.read(Path.of(a.value("--network").get()), "network file"))
                : Optional.empty();
        try {
            Config c = ConfigLoader.load(file, cfg.text(), network.map(n -> n.path().toString()).orElse(ConfigLoader.NETWORK_PATH),
                    network.map(ConfigFile::text).orElse(null));
            c.warnings().forEach(err::println);
            out.println("mwan4: " + file + " OK: " + summary(c));
            return ExitCode.OK;
        } catch (ConfigException e) {
            e.errors().forEach(d -> err.println(d));
            int n = e.errors().size();
            err.println("mwan4: " + file + ": " + n + " error" + (n == 1 ? "" : "s") + ", config is not valid");
            return ExitCode.INVALID;
        }
    }

    /** {@code 2 interfaces (4 trackers), 5 routes, 5 strategies, 3 rules}. */
    static String summary(Config c) {
        int trackers = c.interfaces().stream().filter(Interface::enabled).mapToInt(i -> i.families().size()).sum();
        return count(c.interfaces().size(), "interface") + " (" + count(trackers, "tracker") + "), "
                + count(c.routes().size(), "route") + ", " + count(c.strategies().size(), "strategy") + ", "
                + count(c.rules().size(), "rule");
    }

    private static String count(int n, String noun) {
        String plural = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}

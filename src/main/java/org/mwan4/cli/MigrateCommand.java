package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Mwan3Migration;

/** {@code mwan4 migrate [--in-place] FILE}: rewrite an mwan3 config in mwan4 form. */
final class MigrateCommand implements Command {

    @Override
    public Help help() {
        return new Help("migrate", "FILE", "convert an mwan3 config to mwan4 (member -> route, policy -> strategy, ...)",
                List.of(new Option("--in-place", "", "replace FILE (atomically) instead of printing the result")),
                """
                Prints the migrated config on stdout and each change on stderr. Comments, blank lines and
                order are kept; only the lines that must change do. Running it twice changes nothing.
                Renames: config member -> route, config policy -> strategy, use_member -> use_route,
                use_policy -> use_strategy; option family -> list family; flush_conntrack 'always' ->
                list flush_conntrack 'ifup' + 'ifdown', 'never' -> removed.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        String file = a.single("FILE");
        boolean inPlace = a.flag("--in-place");
        ConfigFile cfg = ConfigFile.read(Path.of(file), "config file");
        Mwan3Migration.Result r;
        try {
            r = Mwan3Migration.migrate(file, cfg.text());
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            err.println("mwan4: " + file + ": not a readable UCI file, nothing migrated");
            return ExitCode.INVALID;
        }
        for (Mwan3Migration.Change c : r.changes()) {
            err.println(file + ":" + c.line() + ": " + c.description());
        }
        if (!r.changed()) {
            err.println("mwan4: " + file + ": nothing to migrate, it is already in mwan4 form");
        }
        if (inPlace) {
            if (r.changed()) {
                try {
                    cfg.replace(r.text());
                } catch (IOException e) {
                    err.println("mwan4: cannot write " + file + ": " + e + "; the file is unchanged");
                    return ExitCode.INTERNAL;
                }
                err.println("mwan4: " + file + ": " + r.changes().size() + " change" + (r.changes().size() == 1 ? "" : "s")
                        + " written");
            }
        } else {
            out.print(r.text());
        }
        try {
            ConfigLoader.load(file, r.text(), null);
        } catch (ConfigException e) {
            err.println("mwan4: note: the migrated config does not pass 'mwan4 check' yet:");
            e.errors().forEach(err::println);
        }
        return ExitCode.OK;
    }
}

package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "-h", "help"})
    void helpListsEveryCommand(String flag) {
        Cli r = Cli.run(flag);
        assertThat(r.code()).isZero();
        // names are padded to the longest command name, so the column width grows as commands are added
        assertThat(r.out()).startsWith("Usage: mwan4 COMMAND")
                .containsPattern("\n  check +validate a config file and report every problem in it\n")
                .containsPattern("\n  migrate +convert an mwan3 config to mwan4")
                .containsPattern("\n  help +list the commands, or describe one\n")
                .contains("Exit codes: 0 ok, 1 internal error, 2 invalid config or usage, 3 daemon not running.");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void commandHelpListsItsOptionsTheSameWayEverywhere() {
        Cli a = Cli.run("check", "--help");
        Cli b = Cli.run("help", "check");
        Cli c = Cli.run("check", "-h", "whatever");
        assertThat(a.code()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).isEqualTo(c.out());
        assertThat(a.out()).startsWith("Usage: mwan4 check [OPTIONS] FILE\n")
                .contains("  --network FILE  also read", "  -h, --help      show this help");
        assertThat(Cli.run("migrate", "--help").out()).contains("--in-place", "Running it twice changes nothing");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Commands:").endsWith("mwan4: missing COMMAND\n");
    }

    @Test
    void unknownCommandSuggests() {
        Cli r = Cli.run("chekc", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mwan4: unknown command 'chekc' (did you mean 'check'?); 'mwan4 --help' lists them\n");
        assertThat(Cli.run("help", "nosuch").code()).isEqualTo(2);
    }

    @Test
    void aCrashIsExitCode1WithTheCause() {
        Commands commands = new Commands();
        commands.add(new Command() {
            @Override
            public Help help() {
                return new Help("boom", "", "fails", List.of(), "");
            }

            @Override
            public int run(List<String> args, PrintStream out, PrintStream err) {
                throw new IllegalStateException("kaput");
            }
        });
        Cli r = Cli.run(commands, "boom");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mwan4 boom: internal error: java.lang.IllegalStateException: kaput");
    }

    @Test
    void addingACommandIsOneRegistration() {
        Commands commands = Commands.standard();
        commands.add(new Command() {
            @Override
            public Help help() {
                return new Help("hello", "NAME", "greet", List.of(new Option("--loud", "", "shout")), "");
            }

            @Override
            public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
                Args a = Args.parse(help(), args);
                String greeting = "hello " + a.single("NAME");
                out.println(a.flag("--loud") ? greeting.toUpperCase(java.util.Locale.ROOT) : greeting);
                return ExitCode.OK;
            }
        });
        assertThat(Cli.run(commands, "hello", "--loud", "you").out()).isEqualTo("HELLO YOU\n");
        assertThat(Cli.run(commands, "--help").out()).containsPattern("\n  hello +greet\n");
        assertThat(Cli.run(commands, "hello", "--", "--loud").out()).isEqualTo("hello --loud\n");
    }
}

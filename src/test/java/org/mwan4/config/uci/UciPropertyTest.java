package org.mwan4.config.uci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Mwan3Migration;

/** Property tests with fixed seeds: generated and mutated inputs. */
class UciPropertyTest {
    private static final int GENERATED = 3000;
    private static final int MUTATIONS = 6000;

    @Test
    void generatedFilesParseToWhatWasWrittenAndRoundTrip() throws Exception {
        UciGenerator gen = new UciGenerator(20250101L);
        for (int i = 0; i < GENERATED; i++) {
            UciGenerator.Generated g = gen.next();
            UciDocument doc;
            try {
                doc = UciDocument.parse("gen", g.text());
            } catch (ConfigException e) {
                throw new AssertionError("case " + i + " rejected: " + e.getMessage() + "\n---\n" + g.text(), e);
            }
            // plain checks in the loop: thousands of AssertJ descriptions cost seconds
            check(UciParserTest.render(doc), g.expected(), i, g.text());
            check(doc.write(), g.text(), i, "round trip");
            // uci export form means the same sections
            UciDocument exported = UciDocument.parse("export", UciWriter.export(doc.sections()));
            check(UciParserTest.render(exported), g.expected(), i, "export of\n" + g.text());
        }
    }

    @Test
    void mutatedInputsOnlyEverFailWithPositionedConfigErrors() throws Exception {
        List<String> seeds = new ArrayList<>(fixtures());
        UciGenerator gen = new UciGenerator(7L);
        for (int i = 0; i < 50; i++) {
            seeds.add(gen.next().text());
        }
        Random random = new Random(42L);
        int rejected = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            String where = "mutation " + i + ":\n" + input;
            try {
                UciDocument doc = UciDocument.parse("m", input);
                check(doc.write(), input, i, where);
                Mwan3Migration.Result r = Mwan3Migration.migrate(doc);
                UciDocument.parse("m", r.text()); // a migration never breaks the syntax
                if (!Mwan3Migration.migrate("m", r.text()).changes().isEmpty()) {
                    throw new AssertionError("migration not idempotent for " + where);
                }
            } catch (ConfigException e) {
                rejected++;
                checkPositions(e, input, where);
            }
            try {
                ConfigLoader.load("m", input, null);
            } catch (ConfigException e) {
                checkPositions(e, input, where);
            }
        }
        assertThat(rejected).as("mutations should break some files").isBetween(MUTATIONS / 10, MUTATIONS - 1);
    }

    private static void check(String actual, String expected, int i, String context) {
        if (!actual.equals(expected)) {
            assertThat(actual).as("case %d: %s", i, context).isEqualTo(expected);
        }
    }

    private static void checkPositions(ConfigException e, String input, String where) {
        long lines = input.chars().filter(c -> c == '\n').count() + 1;
        for (Diagnostic d : e.errors()) {
            if (d.position().line() < 1 || d.position().line() > lines || d.position().column() < 1 || d.message().isBlank()) {
                throw new AssertionError("bad position or message " + d + " for " + where);
            }
        }
    }

    private static final String[] TOKENS = {"'", "\"", "\\", "#", ";", " ", "\t", "\n", "\r\n", "config", "option",
        "list", "package", "c", "o", "l", "\0", "é", "\uD83D\uDE00", "x", "'wan'", "0x3F00", "use_route", "member"};

    static String mutate(String s, Random random) {
        StringBuilder sb = new StringBuilder(s);
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n; k++) {
            int at = sb.isEmpty() ? 0 : random.nextInt(sb.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> { // flip a character
                    if (at < sb.length()) {
                        sb.setCharAt(at, (char) (sb.charAt(at) ^ (1 << random.nextInt(7))));
                    }
                }
                case 1 -> sb.setLength(at); // truncate
                case 2 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]); // random token
                case 3 -> { // delete a quote
                    int q = Math.max(sb.indexOf("'", at), sb.indexOf("\"", at));
                    if (q >= 0) {
                        sb.deleteCharAt(q);
                    }
                }
                case 4 -> { // delete a span
                    int end = Math.min(sb.length(), at + random.nextInt(20));
                    if (at < end) {
                        sb.delete(at, end);
                    }
                }
                default -> { // duplicate a span
                    int end = Math.min(sb.length(), at + random.nextInt(60));
                    if (at < end) {
                        sb.insert(at, sb.substring(at, end));
                    }
                }
            }
        }
        return sb.toString();
    }

    static List<String> fixtures() throws Exception {
        Path dir = Path.of(System.getProperty("mwan4.repo", ".")).resolve("test-fixtures/configs");
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".expected")
                    && !p.toString().endsWith(".warnings")).sorted().toList()) {
                out.add(Files.readString(p));
            }
        }
        assertThat(out).hasSizeGreaterThan(5);
        return out;
    }
}

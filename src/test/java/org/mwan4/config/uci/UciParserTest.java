package org.mwan4.config.uci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.ConfigException;
import org.mwan4.config.Diagnostic;

/**
 * libuci's syntax, case by case. Expected results follow libuci's file.c (parse_str, parse_backslash,
 * next_arg, uci_parse_line) and list.c (uci_set, uci_add_list); each row is a thing libuci does.
 */
class UciParserTest {

    /** Sections as one line each: {@code type name: opt=value; list=[a, b]}. */
    static String render(UciDocument doc) {
        return doc.sections().stream().map(s -> s.type() + " " + s.name().orElse("@" + s.index()) + ":"
                + s.options().stream().map(o -> " " + o.name() + "=" + (o.list()
                        ? o.values().stream().map(UciValue::text).collect(Collectors.joining(", ", "[", "]"))
                        : o.last().text())).collect(Collectors.joining(";")))
                .collect(Collectors.joining("\n"));
    }


    static List<Arguments> accepted() {
        return List.of(
                Arguments.of("plain", "config interface 'wan'\n\toption enabled '1'\n", "interface wan: enabled=1"),
                Arguments.of("abbreviated commands", "c a 'x'\no b 1\nl c 2\np pkg\n", "a x: b=1; c=[2]"),
                Arguments.of("unquoted name", "config interface wan\n", "interface wan:"),
                Arguments.of("double quotes take backslash escapes literally", "config a\n\toption v \"x\\\"y\\\\z\\n\"\n", "a @0: v=x\"y\\zn"),
                Arguments.of("single quotes are literal", "config a\n\toption v 'x\\y\"z'\n", "a @0: v=x\\y\"z"),
                Arguments.of("adjacent parts concatenate", "config a\n\toption v 'x'\"y\"z\n", "a @0: v=xyz"),
                Arguments.of("backslash escapes a space", "config a\n\toption v x\\ y\n", "a @0: v=x y"),
                Arguments.of("backslash-newline joins lines", "config a\n\toption v x\\\ny\n", "a @0: v=xy"),
                Arguments.of("backslash-CRLF joins lines", "config a\n\toption v x\\\r\ny\r\n", "a @0: v=xy"),
                Arguments.of("quoted value spans lines", "config a\n\toption v 'x\ny'\n", "a @0: v=x\ny"),
                Arguments.of("backslash-newline in double quotes joins", "config a\n\toption v \"x\\\ny\"\n", "a @0: v=xy"),
                Arguments.of("hash ends an unquoted value", "config a\n\toption v b#c d\n", "a @0: v=b"),
                Arguments.of("hash inside quotes is text", "config a\n\toption v 'b#c'\n", "a @0: v=b#c"),
                Arguments.of("comment after a value", "config a # c\n\toption v 'b' # c\n", "a @0: v=b"),
                Arguments.of("semicolon after a quoted value starts a command", "config a\n\toption v 'b'; option w 'c'\n", "a @0: v=b; w=c"),
                // parse_str writes its terminating NUL over the ';' when nothing was unquoted or unescaped
                // before it, so libuci drops the rest of the line
                Arguments.of("semicolon after a plain value ends the line", "config a\n\toption v b; option w c\n", "a @0: v=b"),
                Arguments.of("option without value sets nothing", "config a\n\toption v\n", "a @0:"),
                Arguments.of("empty option deletes", "config a\n\toption v 1\n\toption v ''\n", "a @0:"),
                Arguments.of("option replaces", "config a\n\toption v 1\n\toption v 2\n", "a @0: v=2"),
                Arguments.of("list after option extends it", "config a\n\toption v 1\n\tlist v 2\n", "a @0: v=[1, 2]"),
                Arguments.of("option after list replaces it", "config a\n\tlist v 1\n\tlist v 2\n\toption v 3\n", "a @0: v=3"),
                Arguments.of("empty list item is kept", "config a\n\tlist v ''\n", "a @0: v=[]"),
                Arguments.of("named section declared twice merges", "config a 'x'\n\toption v 1\nconfig a 'x'\n\toption w 2\n", "a x: v=1; w=2"),
                Arguments.of("index counts per type", "config a\nconfig b\nconfig a 'n'\nconfig a\n", "a @0:\nb @0:\na n:\na @2:"),
                Arguments.of("CRLF lines", "config a 'b'\r\n\toption c 'd'\r\n\r\n", "a b: c=d"),
                Arguments.of("no newline at the end", "config a 'b'\n\toption c d", "a b: c=d"),
                Arguments.of("type may hold punctuation", "config my-type.x\n", "my-type.x @0:"),
                Arguments.of("package statement is ignored", "package mwan4\nconfig a\n", "a @0:"),
                Arguments.of("only comments and blanks", "# x\n\n   \n\t# y\n", ""),
                Arguments.of("empty file", "", ""),
                Arguments.of("spaces and tabs anywhere", "  config\t a  \t'b'  \n \t option \t c   'd'  \n", "a b: c=d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsLikeLibuci(String name, String text, String expected) throws Exception {
        UciDocument doc = UciDocument.parse("t", text);
        assertThat(render(doc)).isEqualTo(expected);
        assertThat(doc.write()).isEqualTo(text);
    }

    static List<Arguments> rejected() {
        return List.of(
                Arguments.of("option before a section", "option a b\n", "t:1:1: option 'a' comes before the first config section"),
                Arguments.of("config without type", "config\n", "t:1:1: config needs arguments"),
                Arguments.of("config with empty type", "config ''\n", "t:1:8: insufficient arguments"),
                Arguments.of("bad option name", "config a\n\toption a-b c\n", "t:2:9: name 'a-b' has an invalid character (only letters, digits and _)"),
                Arguments.of("bad section name", "config a 'b.c'\n", "t:1:10: name 'b.c' has an invalid character (only letters, digits and _)"),
                Arguments.of("bad type", "config 'a b'\n", "t:1:8: section type 'a b' has an invalid character (printable ASCII without spaces)"),
                Arguments.of("too many arguments", "config a\n\toption v b c\n", "t:2:13: too many arguments: 'c' (quote a value that contains spaces)"),
                Arguments.of("continuation onto an indented line", "config a\n\toption v x\\\n  y\n", "t:3:3: too many arguments: 'y' (quote a value that contains spaces)"),
                Arguments.of("unknown command", "config a\n\toptoin v b\n", "t:2:2: invalid command 'optoin' (expected config, option, list or package)"),
                Arguments.of("unterminated single quote", "config a\n\toption v 'b\n\n", "t:2:11: unterminated ' (the file ends inside this quote)"),
                Arguments.of("unterminated double quote", "config a\n\toption v \"b", "t:2:11: unterminated \" (the file ends inside this quote)"),
                Arguments.of("same name, other type", "config a 'x'\nconfig b 'x'\n", "t:2:8: section 'x' of type b reuses the name of the a section at t:1 (uci section names are shared by all types)"),
                Arguments.of("NUL byte", "config a\0\n", "t:1:9: the file contains a NUL byte; a UCI file is text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsLikeLibuci(String name, String text, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> UciDocument.parse("t", text));
        assertThat(e).isNotNull();
        assertThat(e.errors()).extracting(d -> d.position() + ": " + d.message()).containsExactly(expected);
    }

    @Test
    void reportsEverySyntaxErrorAndSkipsTheBrokenSectionsOptions() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> UciDocument.parse("t", """
                config a 'b c'
                \toption x y
                config a
                \toption a-b 1
                \toption ok 1 2
                """));
        assertThat(e.errors()).extracting(Diagnostic::toString).containsExactly(
                "t:1: name 'b c' has an invalid character (only letters, digits and _)",
                "t:4: name 'a-b' has an invalid character (only letters, digits and _)",
                "t:5: too many arguments: '2' (quote a value that contains spaces)");
    }

    @Test
    void valuesKeepFileLineColumn() throws Exception {
        UciDocument doc = UciDocument.parse("mwan4", "# c\nconfig interface 'wan'\n\toption enabled '1'\n  list track_ip 192.0.2.1\n");
        UciSection s = doc.sections().getFirst();
        assertThat(s.position()).hasToString("mwan4:2:1");
        assertThat(s.option("enabled").orElseThrow().last().position()).hasToString("mwan4:3:17");
        assertThat(s.option("track_ip").orElseThrow().position()).hasToString("mwan4:4:8");
        assertThat(s.option("track_ip").orElseThrow().last().position()).hasToString("mwan4:4:17");
    }

    @Test
    void anonymousSectionsGetLibucisNames() throws Exception {
        // ids seen on real routers: firewall.cfg01e63d (defaults), cfg02dc81 (zone), network.cfg030f15 (device)
        UciDocument fw = UciDocument.parse("firewall", "config defaults\nconfig zone\nconfig zone\nconfig forwarding\n");
        assertThat(fw.sections()).extracting(UciSection::id).containsExactly("cfg01e63d", "cfg02dc81", "cfg03dc81", "cfg04ad58");
        UciDocument net = UciDocument.parse("network", "config interface 'loopback'\nconfig globals 'globals'\nconfig device\n");
        assertThat(net.sections().get(2).id()).isEqualTo("cfg030f15");
        assertThat(net.sections().get(2).label()).isEqualTo("device @device[0]");
    }

    @Test
    void editChangesOnlyItsSpans() throws Exception {
        UciDocument doc = UciDocument.parse("t", "# keep\nconfig member 'm' # keep too\n\toption x \"1\"\n");
        UciCommand.Config cfg = (UciCommand.Config) doc.lines().get(1).commands().getFirst();
        String out = doc.edit(List.of(new UciDocument.Edit(cfg.type().start(), cfg.type().end(), "route")));
        assertThat(out).isEqualTo("# keep\nconfig route 'm' # keep too\n\toption x \"1\"\n");
    }

    @Test
    void writerQuotesLikeUciExport() {
        assertThat(UciWriter.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(UciWriter.requote("member", "route")).isEqualTo("route");
        assertThat(UciWriter.requote("'member'", "route")).isEqualTo("'route'");
        assertThat(UciWriter.requote("\"member\"", "route")).isEqualTo("\"route\"");
    }
}

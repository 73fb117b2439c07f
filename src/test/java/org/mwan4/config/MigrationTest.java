package org.mwan4.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MigrationTest {

    static String migrate(String text) throws ConfigException {
        return Mwan3Migration.migrate("m", text).text();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        member -> route, unquoted       | config member m\\n                    | config route m\\n
        policy -> strategy, quoted      | config policy 'p'\\n                  | config strategy 'p'\\n
        double quotes kept              | config \\"member\\" \\"m\\"\\n        | config \\"route\\" \\"m\\"\\n
        use_member anywhere             | config x\\n\\tlist use_member 'a'\\n   | config x\\n\\tlist use_route 'a'\\n
        use_policy on a rule            | config rule 'r'\\n\\toption use_policy 'b'\\n | config rule 'r'\\n\\toption use_strategy 'b'\\n
        family option -> list           | config interface 'w'\\n\\toption family 'ipv6'\\n | config interface 'w'\\n\\tlist family 'ipv6'\\n
        family with two words           | config rule 'r'\\n  option family 'ipv4 ipv6'\\n | config rule 'r'\\n  list family 'ipv4'\\n  list family 'ipv6'\\n
        empty family is left            | config rule 'r'\\n\\toption family ''\\n | config rule 'r'\\n\\toption family ''\\n
        always -> ifup + ifdown         | config interface 'w'\\n\\toption flush_conntrack 'always'\\n | config interface 'w'\\n\\tlist flush_conntrack 'ifup'\\n\\tlist flush_conntrack 'ifdown'\\n
        always keeps a trailing comment | config interface 'w'\\n  list flush_conntrack always # x\\n | config interface 'w'\\n  list flush_conntrack 'ifup'\\n  list flush_conntrack 'ifdown' # x\\n
        never is removed with its line  | config interface 'w'\\n\\toption flush_conntrack 'never'\\n\\toption up '3'\\n | config interface 'w'\\n\\toption up '3'\\n
        never keeps a trailing comment  | config interface 'w'\\n\\toption flush_conntrack never # off\\n | config interface 'w'\\n\\t # off\\n
        new flush values are left       | config interface 'w'\\n\\tlist flush_conntrack 'ifup'\\n | config interface 'w'\\n\\tlist flush_conntrack 'ifup'\\n
        comments and blanks kept        | # member\\n\\nconfig member 'm' # policy\\n\\n# end | # member\\n\\nconfig route 'm' # policy\\n\\n# end
        CRLF kept                       | config member 'm'\\r\\n\\toption family 'ipv4'\\r\\n | config route 'm'\\r\\n\\tlist family 'ipv4'\\r\\n
        """)
    void migrates(String name, String in, String out) throws Exception {
        String input = unescape(in);
        String expected = unescape(out);
        assertThat(migrate(input)).isEqualTo(expected);
        assertThat(migrate(expected)).as("idempotent").isEqualTo(expected);
    }

    @Test
    void listsChangesWithLineNumbers() throws Exception {
        Mwan3Migration.Result r = Mwan3Migration.migrate("m", """
                # x
                config member 'm'
                \toption interface 'wan'

                config policy 'p'
                \tlist use_member 'm'
                """);
        assertThat(r.changes()).extracting(Mwan3Migration.Change::toString).containsExactly(
                "line 2: config member -> config route 'm'",
                "line 5: config policy -> config strategy 'p'",
                "line 6: list use_member -> list use_route");
    }

    @Test
    void nothingToDoIsNoChange() throws Exception {
        Mwan3Migration.Result r = Mwan3Migration.migrate("m", "config route 'r'\n");
        assertThat(r.changed()).isFalse();
        assertThat(r.text()).isEqualTo("config route 'r'\n");
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\\"", "\"");
    }
}

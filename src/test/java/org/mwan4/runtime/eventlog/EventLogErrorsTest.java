package org.mwan4.runtime.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad line stops the reader with the place and the problem: given a log whose line 2 is this, then exactly
 * this message (line 1 is always a good Ticked).
 */
class EventLogErrorsTest {

    record Row(String name, String line, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String AT = "\"at\":\"2026-11-22T04:00:00Z\"";

    static Row row(String name, String line, String message) {
        return new Row(name, line, message);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("unknown type", "{\"seq\":2,\"type\":\"linkup\"," + AT + "}", "events.jsonl:2: unknown event type 'linkup'"),
                row("not JSON", "seq=2 type=Ticked", "events.jsonl:2: bad JSON at column 4: Unrecognized token 'seq': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                row("truncated (a crash mid-write)", "{\"seq\":2,\"type\":\"Ticked\",\"at\":\"2026-11-2", "events.jsonl:2: bad JSON at column 41: Unexpected end-of-input: was expecting closing quote for a string value"),
                row("two objects on a line", "{\"seq\":2,\"type\":\"Ticked\"," + AT + "} {}", "events.jsonl:2: bad JSON: more text after the object"),
                row("not an object", "[1,2]", "events.jsonl:2: a line must be one JSON object, got array"),
                row("no seq", "{\"type\":\"Ticked\"," + AT + "}", "events.jsonl:2: field 'seq' is missing"),
                row("seq not a number", "{\"seq\":\"2\",\"type\":\"Ticked\"," + AT + "}", "events.jsonl:2: field 'seq' must be an integer"),
                row("seq zero", "{\"seq\":0,\"type\":\"Ticked\"," + AT + "}", "events.jsonl:2: field 'seq' must be an integer from 1 to 9223372036854775807, got 0"),
                row("seq going back", "{\"seq\":1,\"type\":\"Ticked\"," + AT + "}", "events.jsonl:2: seq 1 is not greater than the previous one (1)"),
                row("no type", "{\"seq\":2," + AT + "}", "events.jsonl:2: field 'type' is missing"),
                row("type not a string", "{\"seq\":2,\"type\":7," + AT + "}", "events.jsonl:2: field 'type' must be a string"),
                row("no time", "{\"seq\":2,\"type\":\"Ticked\"}", "events.jsonl:2: Ticked: field 'at' is missing"),
                row("bad time", "{\"seq\":2,\"type\":\"Ticked\",\"at\":\"yesterday\"}", "events.jsonl:2: Ticked: field 'at' must be a UTC time like 2026-11-22T04:00:00.123Z, got 'yesterday'"),
                row("ifindex a string", "{\"seq\":2,\"type\":\"LinkChanged\"," + AT + ",\"ifindex\":\"2\",\"name\":\"eth0\",\"adminUp\":true,\"carrier\":true,\"operstate\":\"UP\"}",
                        "events.jsonl:2: LinkChanged: field 'ifindex' must be an integer"),
                row("ifindex fractional", "{\"seq\":2,\"type\":\"LinkChanged\"," + AT + ",\"ifindex\":2.5,\"name\":\"eth0\",\"adminUp\":true,\"carrier\":true,\"operstate\":\"UP\"}",
                        "events.jsonl:2: LinkChanged: field 'ifindex' must be an integer"),
                row("ifindex zero", "{\"seq\":2,\"type\":\"LinkRemoved\"," + AT + ",\"ifindex\":0,\"name\":\"eth0\"}",
                        "events.jsonl:2: LinkRemoved: field 'ifindex' must be an integer from 1 to 2147483647, got 0"),
                row("boolean as a string", "{\"seq\":2,\"type\":\"LinkChanged\"," + AT + ",\"ifindex\":2,\"name\":\"eth0\",\"adminUp\":\"yes\",\"carrier\":true,\"operstate\":\"UP\"}",
                        "events.jsonl:2: LinkChanged: field 'adminUp' must be true or false"),
                row("missing field", "{\"seq\":2,\"type\":\"LinkChanged\"," + AT + ",\"ifindex\":2,\"adminUp\":true,\"carrier\":true,\"operstate\":\"UP\"}",
                        "events.jsonl:2: LinkChanged: field 'name' is missing"),
                row("unknown field", "{\"seq\":2,\"type\":\"LinkRemoved\"," + AT + ",\"ifindex\":2,\"name\":\"eth0\",\"mtu\":1500}",
                        "events.jsonl:2: LinkRemoved: unknown field 'mtu'"),
                row("duplicate field", "{\"seq\":2,\"type\":\"LinkRemoved\"," + AT + ",\"ifindex\":2,\"ifindex\":3,\"name\":\"eth0\"}",
                        "events.jsonl:2: bad JSON at column 80: Duplicate field 'ifindex'"),
                row("bad address", "{\"seq\":2,\"type\":\"AddressAdded\"," + AT + ",\"ifindex\":2,\"address\":\"192.0.2.300/24\"}",
                        "events.jsonl:2: AddressAdded: field 'address' must be an address with its prefix length like 192.0.2.5/24, got '192.0.2.300/24'"),
                row("route family mismatch", "{\"seq\":2,\"type\":\"RouteAdded\"," + AT + ",\"route\":{\"table\":254,\"family\":\"ipv6\",\"destination\":\"0.0.0.0/0\",\"gateway\":null,\"ifindex\":2,\"metric\":0,\"type\":\"unicast\",\"protocol\":4,\"scope\":0,\"source\":null,\"prefsrc\":null}}",
                        "events.jsonl:2: RouteAdded route: field 'destination' is ipv4 but family is ipv6"),
                row("route gateway not an address", "{\"seq\":2,\"type\":\"RouteRemoved\"," + AT + ",\"route\":{\"table\":254,\"family\":\"ipv4\",\"destination\":\"0.0.0.0/0\",\"gateway\":\"router\",\"ifindex\":2,\"metric\":0,\"type\":\"unicast\",\"protocol\":4,\"scope\":0}}",
                        "events.jsonl:2: RouteRemoved route: field 'gateway' must be an IP address like 192.0.2.1 or 2001:db8::1, or null, got 'router'"),
                row("bad family", "{\"seq\":2,\"type\":\"ProbeRoundFinished\"," + AT + ",\"iface\":\"wan\",\"family\":\"inet\",\"results\":[]}",
                        "events.jsonl:2: ProbeRoundFinished: field 'family' must be 'ipv4' or 'ipv6', got 'inet'"),
                row("bad target status", "{\"seq\":2,\"type\":\"ProbeRoundFinished\"," + AT + ",\"iface\":\"wan\",\"family\":\"ipv4\",\"results\":[{\"target\":\"198.51.100.1\",\"status\":\"ok\",\"latencyMs\":1.5,\"lossPercent\":0,\"jitterMs\":null}]}",
                        "events.jsonl:2: ProbeRoundFinished results[0]: field 'status' must be one of 'up', 'down', 'skipped', got 'ok'"),
                row("loss above 100", "{\"seq\":2,\"type\":\"ProbeRoundFinished\"," + AT + ",\"iface\":\"wan\",\"family\":\"ipv4\",\"results\":[{\"target\":\"198.51.100.1\",\"status\":\"up\",\"latencyMs\":1.5,\"lossPercent\":101}]}",
                        "events.jsonl:2: ProbeRoundFinished results[0]: field 'lossPercent' must be an integer from 0 to 100, got 101"),
                row("negative latency", "{\"seq\":2,\"type\":\"ProbeRoundFinished\"," + AT + ",\"iface\":\"wan\",\"family\":\"ipv4\",\"results\":[{\"target\":\"198.51.100.1\",\"status\":\"up\",\"latencyMs\":-1,\"lossPercent\":0}]}",
                        "events.jsonl:2: ProbeRoundFinished results[0]: field 'latencyMs' must be a number of milliseconds >= 0, or null"),
                row("results not an array", "{\"seq\":2,\"type\":\"ProbeRoundFinished\"," + AT + ",\"iface\":\"wan\",\"family\":\"ipv4\",\"results\":{}}",
                        "events.jsonl:2: ProbeRoundFinished: field 'results' must be an array"),
                row("unknown command", "{\"seq\":2,\"type\":\"OperatorCommanded\"," + AT + ",\"command\":\"restart\",\"iface\":\"wan\"}",
                        "events.jsonl:2: OperatorCommanded: field 'command' must be one of 'ifup', 'ifdown', 'reload', got 'restart'"),
                row("unknown field in a resync link", "{\"seq\":2,\"type\":\"NetlinkResynced\"," + AT + ",\"links\":[{" + AT + ",\"ifindex\":2,\"name\":\"eth0\",\"adminUp\":true,\"carrier\":true,\"operstate\":\"UP\",\"x\":1}],\"addresses\":[],\"routes\":[]}",
                        "events.jsonl:2: NetlinkResynced links[0]: unknown field 'x'"),
                row("missing list element type", "{\"seq\":2,\"type\":\"ChainsMissing\"," + AT + ",\"missing\":[\"mwan4_prerouting\",3]}",
                        "events.jsonl:2: ChainsMissing: field 'missing' must hold strings, element 1 is not one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badLineStopsTheReaderWithItsPlace(Row row) throws IOException {
        String log = "{\"seq\":1,\"type\":\"Ticked\"," + AT + "}\n" + row.line() + "\n{\"seq\":9,\"type\":\"Ticked\"," + AT + "}\n";
        try (EventLogReader r = new EventLogReader("events.jsonl", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)))) {
            EventLogReader.ReadResult result = r.readAll();
            assertThat(result.events()).as("the good line before it").hasSize(1);
            assertThat(result.error()).as("stops at line 2").hasValueSatisfying(e -> {
                assertThat(e.getMessage()).isEqualTo(row.message());
                assertThat(e.line()).isEqualTo(2);
                assertThat(e.source()).isEqualTo("events.jsonl");
            });
        }
    }
}

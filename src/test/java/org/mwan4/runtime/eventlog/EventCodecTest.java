package org.mwan4.runtime.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;

/** encode then decode gives the same event, for every event type, over many arbitrary values. */
class EventCodecTest {
    final EventEncoder encoder = new EventEncoder();
    final EventDecoder decoder = new EventDecoder();

    static Stream<String> types() {
        return EventDecoder.TYPES.stream();
    }

    @ParameterizedTest(name = "{0} round-trips")
    @MethodSource("types")
    void roundTrip(String type) throws BadField {
        int index = EventDecoder.TYPES.indexOf(type);
        ArbitraryEvents gen = new ArbitraryEvents(type.hashCode());
        for (int i = 0; i < 200; i++) {
            LoggedEvent le = new LoggedEvent(1 + i * 7919L, gen.of(index));
            String line = encoder.encode(le);
            assertThat(line).as("one line").doesNotContain("\n", "\r");
            assertThat(line).startsWith("{\"seq\":" + le.seq() + ",\"type\":\"" + type + "\",\"at\":\"");
            LoggedEvent back = decoder.decode(line);
            assertThat(back).as(line).isEqualTo(le);
            assertThat(encoder.encode(back)).as("stable bytes").isEqualTo(line);
        }
    }

    @Test
    void everyEventTypeHasATag() {
        assertThat(EventDecoder.TYPES).containsExactlyInAnyOrderElementsOf(
                Stream.of(Event.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
        IntStream.range(0, EventDecoder.TYPES.size()).forEach(i ->
                assertThat(new ArbitraryEvents(i).of(i).getClass().getSimpleName()).isEqualTo(EventDecoder.TYPES.get(i)));
    }

    @Test
    void theSpecExampleLineReads() throws BadField {
        LoggedEvent e = decoder.decode("{\"seq\":1,\"type\":\"LinkChanged\",\"at\":\"2026-11-22T04:00:00.123Z\","
                + "\"ifindex\":2,\"name\":\"eth0\",\"adminUp\":true,\"carrier\":true,\"operstate\":\"UP\"}");
        assertThat(e.event()).isEqualTo(new Event.LinkChanged(java.time.Instant.parse("2026-11-22T04:00:00.123Z"), 2,
                "eth0", true, true, "UP"));
    }

    @Test
    void nullableFieldsMayBeLeftOut() throws BadField {
        LoggedEvent e = decoder.decode("{\"seq\":3,\"type\":\"ConfigLoaded\",\"at\":\"2026-11-22T04:00:00Z\","
                + "\"path\":\"/etc/config/mwan4\",\"text\":\"\"}");
        assertThat(e.event()).isEqualTo(new Event.ConfigLoaded(java.time.Instant.parse("2026-11-22T04:00:00Z"),
                "/etc/config/mwan4", "", null, null));
    }

    @Test
    void nonFiniteLatencyIsRefusedWhenWriting() {
        Event e = new Event.ProbeRoundFinished(java.time.Instant.EPOCH, "wan", org.mwan4.config.Family.IPV4, java.util.List.of(
                new Event.TargetResult(org.mwan4.config.IpAddress.v4(192, 0, 2, 1), Event.TargetStatus.UP, Double.NaN, 0, null)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encoder.encode(new LoggedEvent(1, e)))
                .hasMessage("latencyMs must be a finite number, got NaN");
    }
}

package org.mwan4.core;

import java.util.List;
import org.mwan4.config.Marks;

/** Effects as short lines, so test tables read like the log of a run. */
final class EffectText {
    private EffectText() {}

    static String of(Effect e) {
        return switch (e) {
            case Effect.StartTracker s -> "start " + s.iface() + " " + s.family().id() + " " + s.device()
                    + " src " + s.source() + " mark " + Marks.hex(s.mark()) + " first " + TrackerMachine.seconds(s.firstDelay())
                    + " every " + TrackerMachine.seconds(s.interval());
            case Effect.StopTracker s -> "stop " + s.iface() + " " + s.family().id();
            case Effect.RetimeTracker r -> "retime " + r.iface() + " " + r.family().id() + " " + TrackerMachine.seconds(r.interval());
            case Effect.RunHook h -> "hook " + h.action().id() + " " + h.iface() + " " + h.family().id() + " " + h.device()
                    + (h.firstConnect() ? " FIRSTCONNECT" : "") + (h.shutdown() ? " SHUTDOWN" : "");
            case Effect.FlushConntrack f -> "flush " + f.iface() + " " + f.family().id() + " " + Marks.hex(f.mark())
                    + "/" + Marks.hex(f.mask());
            case Effect.WriteStatus w -> "status";
            case Effect.LogLine l -> "log " + l.level() + " " + l.message();
        };
    }

    /** Every effect but log lines (their text is checked separately). */
    static List<String> actions(List<Effect> effects) {
        return effects.stream().filter(e -> !(e instanceof Effect.LogLine)).map(EffectText::of).toList();
    }

    static List<String> logs(List<Effect> effects) {
        return effects.stream().filter(e -> e instanceof Effect.LogLine).map(EffectText::of).toList();
    }
}

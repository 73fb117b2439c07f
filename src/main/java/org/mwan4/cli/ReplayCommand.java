package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Marks;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Reducer;
import org.mwan4.core.Replay;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Op;
import org.mwan4.plan.Planner;
import org.mwan4.runtime.Brain;
import org.mwan4.runtime.DaemonReplay;
import org.mwan4.runtime.eventlog.EventLogException;
import org.mwan4.runtime.eventlog.EventLogReader;

/**
 * {@code mwan4 replay LOG [--until SEQ] [--ops] [--emit-nft DIR]}: runs a recorded event log through the same
 * reducer, planner and diff the daemon uses. Pure from the log on: two replays print the same bytes.
 */
final class ReplayCommand implements Command {

    @Override
    public Help help() {
        return new Help("replay", "LOG", "replay an event log (events.jsonl) and print the status it ends in",
                List.of(new Option("--until", "SEQ", "stop after the event with this sequence number"),
                        new Option("--ops", "", "print the kernel ops of every step"),
                        new Option("--emit-nft", "DIR", "write the final ruleset files (as `mwan4 render`) into DIR")),
                """
                Each event goes through the reducer. A log the daemon wrote carries KernelStepApplied markers: the
                kernel ops are diffed at exactly those points (and against what the daemon read from the kernel),
                so --ops shows the transactions the daemon applied. A log without markers gets one step per event. A line that cannot be read stops the replay
                there with its place (events.jsonl:123: ...), after printing what was replayed up to it (exit 2).""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        Path log = Path.of(a.single("LOG"));
        long until = parseUntil(a.value("--until"));
        boolean showOps = a.flag("--ops");
        List<LoggedEvent> events = new ArrayList<>();
        String readError = null;
        try (EventLogReader r = EventLogReader.open(log)) {
            for (Optional<LoggedEvent> e = r.next(); e.isPresent() && e.get().seq() <= until; e = r.next()) {
                events.add(e.get());
            }
        } catch (EventLogException e) {
            readError = e.getMessage();
        } catch (IOException e) {
            throw new UsageException("cannot read event log " + log + ": " + e.getMessage());
        }

        boolean daemonLog = events.stream().anyMatch(e -> e.event() instanceof Event.KernelStepApplied);
        List<Replay.Step> steps = Replay.run(Reducer.standard(), State.initial(), events, until);
        Desired have = Desired.empty();
        int opCount = 0;
        if (daemonLog) {
            // a log the daemon wrote: its kernel steps covered bursts of events (coalescing); diff where it did
            DaemonReplay.Result r;
            try {
                r = DaemonReplay.run(Brain.standard(), events);
            } catch (IllegalArgumentException e) {
                err.println(log + ": " + e.getMessage());
                return ExitCode.INVALID;
            }
            for (DaemonReplay.KernelStep k : r.kernelSteps()) {
                opCount += k.ops().size();
                if (showOps) {
                    out.println("#" + k.markerSeq() + " kernel step through #" + k.throughSeq()
                            + (k.readBack() ? " (after reading the kernel)" : "") + (k.ops().isEmpty() ? " (no ops)" : ""));
                    k.ops().forEach(op -> out.println("  " + NftRender.summary(op)));
                }
            }
            have = r.kernelSteps().isEmpty() ? Desired.empty() : Planner.plan(r.steps().stream()
                    .filter(st -> st.seq() == r.kernelSteps().getLast().throughSeq()).findFirst().orElseThrow().state());
        } else {
            // a hand-written or tool-made log: one kernel step per event
            for (Replay.Step step : steps) {
                Desired want = Planner.plan(step.state());
                List<Op> ops = Diff.diff(have, want);
                opCount += ops.size();
                if (showOps) {
                    out.println("#" + step.seq() + " " + step.event().getClass().getSimpleName() + " " + step.event().at()
                            + (ops.isEmpty() ? " (no ops)" : ""));
                    ops.forEach(op -> out.println("  " + NftRender.summary(op)));
                }
                have = want;
            }
        }
        State last = Replay.last(State.initial(), steps);
        out.println("replayed " + steps.size() + " events" + (steps.isEmpty() ? "" : " (seq " + steps.getFirst().seq()
                + ".." + steps.getLast().seq() + ", last at " + steps.getLast().event().at() + ")") + ", " + opCount + " kernel ops");
        printStatus(StatusSnapshot.of(last), out);

        if (a.value("--emit-nft").isPresent()) {
            Path dir = Path.of(a.value("--emit-nft").get());
            try {
                RulesetDir.write(dir, have);
            } catch (IOException e) {
                err.println("mwan4: cannot write into " + dir + ": " + e.getMessage());
                return ExitCode.INVALID;
            }
        }
        if (readError != null) {
            err.println(readError);
            err.println("mwan4: replay stopped at the line above");
            return ExitCode.INVALID;
        }
        return ExitCode.OK;
    }

    private static long parseUntil(Optional<String> v) throws UsageException {
        if (v.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--until takes a sequence number (1, 2, ...), not '" + v.get() + "'");
        }
    }

    /** {@code interface wan (id 1, device eth0, mark 0x100): ipv4 online score 10/10, ipv6 offline score 0/10}. */
    static void printStatus(StatusSnapshot s, PrintStream out) {
        if (s.interfaces().isEmpty()) {
            out.println("no config loaded");
            return;
        }
        for (StatusSnapshot.InterfaceStatus i : s.interfaces()) {
            StringBuilder sb = new StringBuilder(" interface ").append(i.name()).append(" (id ").append(i.id())
                    .append(", device ").append(i.device() == null ? "-" : i.device())
                    .append(", mark ").append(Marks.hex(i.mark())).append(i.enabled() ? "" : ", disabled")
                    .append(i.operatorDown() ? ", ifdown by operator" : "").append("):");
            String sep = " ";
            for (StatusSnapshot.FamilyStatus f : i.families()) {
                sb.append(sep).append(f.family().id()).append(' ').append(f.status().id()).append(" score ").append(f.score())
                        .append(" tracking ").append(f.tracking().name().toLowerCase(java.util.Locale.ROOT));
                sep = ", ";
            }
            out.println(sb);
        }
    }
}

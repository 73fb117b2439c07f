package org.mwan4.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.core.Reducer;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.Op;

/**
 * The real reducer with a tiny planner: one chain per configured interface whose rules name what the state
 * says about it (link, operator down, tracker statuses), and a chain-only diff. Enough to see the loop plan,
 * coalesce and apply the right thing without the real planner.
 */
final class FakeBrain {
    private FakeBrain() {}

    static Brain create() {
        return new Brain(Reducer.standard()::apply, FakeBrain::plan, FakeBrain::diff, FakeBrain::describe);
    }

    static Desired plan(State s) {
        TreeMap<String, NftChain> chains = new TreeMap<>();
        if (s.config() == null) {
            return Desired.empty();
        }
        for (var i : s.config().interfaces()) {
            List<String> rules = new ArrayList<>();
            rules.add("link " + (s.linkUp(i.name()) ? "up" : "down"));
            rules.add("operator " + (s.operatorDown().contains(i.name()) ? "down" : "up"));
            s.trackers().forEach((k, t) -> {
                if (k.iface().equals(i.name())) {
                    rules.add(k.family().id() + " " + t.status().id());
                }
            });
            String name = "mwan4_iface_in_" + i.name();
            chains.put(name, new NftChain(name, null, rules));
        }
        return new Desired(new TreeMap<>(), chains, new TreeSet<>(), new TreeSet<>());
    }

    static List<Op> diff(Desired have, Desired want) {
        List<Op> ops = new ArrayList<>();
        want.chains().forEach((name, c) -> {
            NftChain h = have.chains().get(name);
            if (h == null) {
                ops.add(new Op.AddChain(c));
            } else if (!h.equals(c)) {
                ops.add(new Op.ReplaceChain(c));
            }
        });
        have.chains().keySet().stream().filter(n -> !want.chains().containsKey(n)).forEach(n -> ops.add(new Op.DeleteChain(n)));
        return ops;
    }

    static String describe(Op op) {
        if (op instanceof Op.AddChain a) {
            return "add chain " + a.chain().name() + " " + a.chain().rules();
        }
        if (op instanceof Op.ReplaceChain r) {
            return "replace chain " + r.chain().name() + " " + r.chain().rules();
        }
        return op instanceof Op.DeleteChain d ? "delete chain " + d.name() : op.toString();
    }
}

package org.mwan4.probe.method;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mwan4.config.IpAddress;
import org.mwan4.probe.net.ProbeLoop;
import org.mwan4.probe.net.Scheduler.Cancellable;

/** A prober whose every probe has a socket of its own (nping-tcp, nping-udp, httping, nslookup). */
final class SocketProber implements Prober {

    /** Makes one probe; {@code onEnd} must run when it ends (it does, through {@link SocketProbe#cancel}). */
    interface Kind {
        SocketProbe create(ProbeLoop loop, ProbePath path, IpAddress target, ProbeListener listener, Runnable onEnd);
    }

    private final ProbeLoop loop;
    private final ProbePath path;
    private final Kind kind;
    private final Set<SocketProbe> live = new LinkedHashSet<>();

    SocketProber(ProbeLoop loop, ProbePath path, Kind kind) {
        this.loop = loop;
        this.path = path;
        this.kind = kind;
    }

    @Override
    public Cancellable send(IpAddress target, ProbeListener listener) {
        if (target.family() != path.family()) {
            return Deferred.failure(loop, listener, "target " + target + " is not " + path.family().id() + " (" + path.describe() + ")");
        }
        SocketProbe[] holder = new SocketProbe[1];
        SocketProbe p = kind.create(loop, path, target, listener, () -> live.remove(holder[0]));
        holder[0] = p;
        live.add(p);
        p.start();
        return p;
    }

    @Override
    public void close() {
        for (SocketProbe p : List.copyOf(live)) {
            p.cancel();
        }
        live.clear();
    }
}

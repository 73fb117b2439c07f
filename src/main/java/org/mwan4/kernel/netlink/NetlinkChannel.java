package org.mwan4.kernel.netlink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mwan4.kernel.KernelException;

/**
 * Request/response over one {@link NetlinkSocket}: numbered requests, dumps read to NLMSG_DONE, and
 * batches of acknowledged requests (several messages per datagram, every ACK collected and matched
 * to its request by sequence number). Replies to other sequence numbers (late answers to an earlier,
 * abandoned request) are skipped. Not thread-safe.
 */
public final class NetlinkChannel implements AutoCloseable {
    /** Messages per datagram in a batch: keeps the ACKs of one datagram well inside the receive buffer. */
    static final int BATCH = 64;

    private final NetlinkSocket socket;
    private final NlCodec.Dialect dialect;
    private final Duration timeout;
    private final byte[] rx = NetlinkSocket.newReceiveBuffer();
    private final NlWriter writer = new NlWriter();
    private int seq;

    public NetlinkChannel(NetlinkSocket socket, NlCodec.Dialect dialect, Duration timeout) {
        this.socket = socket;
        this.dialect = dialect;
        this.timeout = timeout;
        socket.receiveTimeout(timeout);
    }

    public NetlinkSocket socket() {
        return socket;
    }

    public int nextSeq() {
        return ++seq;
    }

    /**
     * Sends a dump request (it must carry NLM_F_DUMP) and returns every message of the answer.
     *
     * @throws NetlinkSocketException when the kernel ends the dump with an error (e.g. ENOENT for a missing table)
     */
    public List<NlMessage> dump(NlMessage request, String what) {
        sendAll(List.of(request));
        List<NlMessage> out = new ArrayList<>();
        while (true) {
            for (NlMessage m : receive(what)) {
                if (m.seq() != request.seq() || m.header().pid() != socket.portId()) {
                    continue;
                }
                switch (m.payload()) {
                    case NlPayload.Done d -> {
                        if (d.error() < 0) {
                            throw new NetlinkSocketException(what, -d.error());
                        }
                        return out;
                    }
                    case NlPayload.Error e -> {
                        if (e.isAck()) {
                            return out;
                        }
                        throw new NetlinkSocketException(what + (e.extAck() != null ? " (" + e.extAck() + ")" : ""), e.errno());
                    }
                    case NlPayload.Malformed bad -> throw new KernelException(what + ": malformed reply: " + bad.reason());
                    case NlPayload.Raw _, LinkMessage _, AddressMessage _, RouteMessage _, RuleMessage _ -> out.add(m);
                }
            }
        }
    }

    /**
     * Sends requests that each carry NLM_F_ACK, {@value #BATCH} per datagram, and returns their answers in
     * request order: the NLMSG_ERROR payload (an ACK or an error) each got. Other replies (e.g. the
     * RTM_NEWLINK answering a GETLINK) go to {@code replies} when it is not null.
     */
    public List<NlPayload.Error> exchange(List<NlMessage> requests, String what, List<NlMessage> replies) {
        List<NlPayload.Error> answers = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += BATCH) {
            List<NlMessage> chunk = requests.subList(from, Math.min(requests.size(), from + BATCH));
            Map<Integer, Integer> pending = new HashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                NlMessage r = chunk.get(i);
                if (!r.header().has(NlHeader.NLM_F_ACK)) {
                    throw new IllegalArgumentException(what + ": request " + r + " lacks NLM_F_ACK; its answer could not be awaited");
                }
                pending.put(r.seq(), i);
            }
            NlPayload.Error[] got = new NlPayload.Error[chunk.size()];
            sendAll(chunk);
            while (!pending.isEmpty()) {
                for (NlMessage m : receive(what)) {
                    if (m.header().pid() != socket.portId() || !pending.containsKey(m.seq())) {
                        continue;
                    }
                    switch (m.payload()) {
                        case NlPayload.Error e -> got[pending.remove(m.seq())] = e;
                        case NlPayload.Malformed bad -> throw new KernelException(what + ": malformed reply: " + bad.reason());
                        case NlPayload.Done _, NlPayload.Raw _, LinkMessage _, AddressMessage _, RouteMessage _, RuleMessage _ -> {
                            if (replies != null) {
                                replies.add(m);
                            }
                        }
                    }
                }
            }
            answers.addAll(List.of(got));
        }
        return answers;
    }

    private void sendAll(List<NlMessage> messages) {
        writer.reset();
        for (NlMessage m : messages) {
            NlCodec.append(writer, m);
        }
        socket.send(writer.toByteArray());
    }

    private List<NlMessage> receive(String what) {
        int n = socket.receive(rx);
        if (n < 0) {
            throw new KernelException(what + ": no answer from the kernel within " + timeout.toMillis() + " ms; giving up on this request");
        }
        return NlCodec.decode(rx, 0, n, dialect);
    }

    @Override
    public void close() {
        socket.close();
    }
}

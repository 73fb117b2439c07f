package org.mwan4.kernel.nft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.netlink.NetlinkSocket;
import org.mwan4.kernel.netlink.NetlinkSocketException;
import org.mwan4.kernel.nft.SetElementDecoder.Answer;

/**
 * A NETLINK_NETFILTER socket that sends whole nf_tables batches and collects the kernel's verdict on each
 * message: what {@link SetElementChannel} and {@link ChainRuleChannel} share. The kernel applies a batch atomically
 * and processes it inside our sendto(2), so every answer (each message carries NLM_F_ACK) is queued when the send
 * returns; a batch counts as applied only when every answer is an ACK. Not thread-safe: callers serialise.
 */
final class NftBatchSocket implements AutoCloseable {
    /** How long to wait for answers that should already be queued when the send returns. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MIN_RECEIVE_BUFFER = 256 << 10;
    /** Receive-buffer room per expected answer: an ACK skb's true size with ext-ack text is about 1 KiB. */
    private static final int PER_ANSWER = 2 << 10;

    private final NetlinkSocket socket;
    private final byte[] rx = NetlinkSocket.newReceiveBuffer();
    private final String where;
    private int seq;
    private int sendCapacity;
    private int receiveCapacity;

    private NftBatchSocket(NetlinkSocket socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    /** Opens the socket in the calling thread's namespace; {@code where} names it in errors ("netns X"). */
    static NftBatchSocket openHere(String where) {
        NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER);
        try {
            s.receiveTimeout(TIMEOUT);
            NftBatchSocket c = new NftBatchSocket(s, where);
            c.receiveCapacity = s.receiveBufferSize(MIN_RECEIVE_BUFFER);
            return c;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    String where() {
        return where;
    }

    /** The sequence number the next batch begins with. */
    int nextSeq() {
        return seq + 1;
    }

    /**
     * An error answer.
     *
     * @param index the message's index in the batch (0 = the first message after BATCH_BEGIN), or -1 for the batch
     *              itself (a refused batch or a failed commit)
     */
    record Failure(Answer answer, int index) {
        /** The kernel's errno (positive). */
        int errno() {
            return -answer.error();
        }

        /** The errno's text, with the kernel's extended ack message when it sent one. */
        String reason() {
            return org.mwan4.kernel.Errno.describe(errno()) + (answer.text() == null ? "" : " (" + answer.text() + ")");
        }
    }

    /**
     * Sends one batch and collects the answers to its {@code count} messages, numbered from {@code firstSeq}.
     *
     * @param summary what the batch does, for errors
     * @return the error answers in batch order; empty when the kernel applied the batch
     * @throws KernelException when the answers could not be read (the batch may or may not have been applied)
     */
    List<Failure> transact(byte[] bytes, int beginSeq, int endSeq, int firstSeq, int count, Supplier<String> summary) {
        seq = endSeq;
        fit(bytes.length, count);
        socket.send(bytes);
        boolean[] answered = new boolean[count];
        int missing = count;
        List<Failure> failures = new ArrayList<>();
        while (missing > 0) {
            int n = receive(missing, count, false, summary);
            if (n < 0) {
                throw new KernelException(where + ": no answer from nf_tables within " + TIMEOUT.toSeconds() + " s for "
                        + missing + " of " + count + " messages (" + summary.get()
                        + "); whether they were applied is unknown: re-read the kernel");
            }
            for (Answer a : SetElementDecoder.answers(rx, n)) {
                int i = a.seq() - firstSeq;
                if (a.seq() == beginSeq && a.error() != 0) {
                    failures.add(new Failure(a, -1));
                    while (receive(0, count, true, summary) >= 0) {
                        // answers after a refused batch say nothing more
                    }
                    return failures; // a refused batch (e.g. ENOMEM) may answer nothing else
                }
                if (i < 0 || i >= count || answered[i]) {
                    continue; // an answer to an earlier batch that gave up waiting
                }
                answered[i] = true;
                missing--;
                if (a.error() != 0) {
                    failures.add(new Failure(a, i));
                }
            }
        }
        return failures;
    }

    private int receive(int missing, int count, boolean now, Supplier<String> summary) {
        try {
            return now ? socket.receiveNow(rx) : socket.receive(rx);
        } catch (NetlinkSocketException e) {
            if (e.errno() == Errno.ENOBUFS) {
                throw new KernelException(where + ": nf_tables answers were dropped (receive buffer overrun) with " + missing
                        + " of " + count + " messages unanswered (" + summary.get() + "); whether the batch was applied is"
                        + " unknown: re-read the kernel", e);
            }
            throw e;
        }
    }

    /** Grows the socket buffers so the batch fits in one datagram and every answer fits in the receive queue. */
    private void fit(int length, int count) {
        if (sendCapacity - 64 < length) { // netlink_sendmsg refuses len > sk_sndbuf - 32
            sendCapacity = socket.sendBufferSize(length + 4096);
            if (sendCapacity - 64 < length) {
                throw new KernelException(where + ": a " + length + "-byte nf_tables batch does not fit the socket's "
                        + sendCapacity + "-byte send buffer (SO_SNDBUFFORCE needs CAP_NET_ADMIN); nothing was sent");
            }
        }
        long wanted = Math.max(MIN_RECEIVE_BUFFER, (long) (count + 1) * PER_ANSWER);
        if (receiveCapacity < wanted) {
            receiveCapacity = socket.receiveBufferSize((int) Math.min(Integer.MAX_VALUE / 2, wanted));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}

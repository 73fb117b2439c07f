package org.mwan4.kernel.netlink;

import java.util.List;
import java.util.stream.Collectors;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.Op;

/**
 * Some ip rule/route ops of a batch were refused. Netlink handles each message of a batch on its own,
 * so every op not listed here was applied. Example message:
 * {@code ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1: File exists (errno 17)}.
 */
public class RtnetlinkOpException extends KernelException {

    /** One refused op: its {@code ip} equivalent, the errno and the kernel's own text (or null). */
    public record Failure(Op op, String command, int errno, String kernelText) {
        @Override
        public String toString() {
            return command + ": " + Errno.describe(errno) + (kernelText == null || kernelText.isEmpty() ? "" : " [" + kernelText + "]");
        }
    }

    private final List<Failure> failures;
    private final int total;

    public RtnetlinkOpException(List<Failure> failures, int total) {
        super(message(failures, total));
        this.failures = List.copyOf(failures);
        this.total = total;
    }

    public List<Failure> failures() {
        return failures;
    }

    /** How many ops the batch had. */
    public int total() {
        return total;
    }

    private static String message(List<Failure> failures, int total) {
        String each = failures.stream().map(Failure::toString).collect(Collectors.joining("; "));
        if (total == 1) {
            return each;
        }
        return each + " (" + failures.size() + " of " + total + " ops failed; the other " + (total - failures.size()) + " were applied)";
    }
}

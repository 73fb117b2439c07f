package org.mwan4.kernel.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.plan.NftScript;

/**
 * Reads nft's error output and turns it into an {@link NftException} that names the failing op.
 * nft reports each error as a location, the offending source line and a caret line:
 * <pre>
 * &lt;cmdline&gt;:3:19-31: Error: Could not process rule: No such file or directory
 * add rule inet fw4 mwan4_nochain counter
 *                   ^^^^^^^^^^^^^
 * </pre>
 * ({@code /dev/stdin} instead of {@code <cmdline>} for {@code nft -f -}). Errors without a location
 * start with {@code Error:} directly. Pure functions; never throws on odd input.
 */
final class NftErrors {
    // "<name>:<line>:<col>-<endcol>: Error: <text>"; a span over several lines prints "<col>-<line>:<endcol>"
    private static final Pattern LOCATED = Pattern.compile("^(.*?):(\\d+):(\\d+)-(?:\\d+:)?\\d+: Error: (.*)$");
    private static final Pattern UNLOCATED = Pattern.compile("^Error: (.*)$");
    private static final int SOURCE_EXCERPT = 160;

    private NftErrors() {}

    /**
     * One error record.
     *
     * @param line   1-based line of the input, 0 when nft gave no location
     * @param column 1-based column, 0 when none
     * @param source the offending input line as nft echoed it, "" when none
     */
    record NftError(int line, int column, String message, String source) {}

    static List<NftError> parse(String errorText) {
        List<NftError> out = new ArrayList<>();
        if (errorText == null || errorText.isBlank()) {
            return out;
        }
        String[] lines = errorText.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LOCATED.matcher(lines[i]);
            Matcher u = UNLOCATED.matcher(lines[i]);
            int line = 0;
            int column = 0;
            String message;
            if (m.matches()) {
                line = Integer.parseInt(m.group(2));
                column = Integer.parseInt(m.group(3));
                message = m.group(4).strip();
            } else if (u.matches()) {
                message = u.group(1).strip();
            } else {
                continue;
            }
            String source = "";
            if (isCaretLine(lines, i + 2)) {
                source = lines[i + 1].strip();
                i += 2;
            }
            out.add(new NftError(line, column, message, source));
        }
        return out;
    }

    /** The exception for a rejected transaction: names the op behind the first error's line. */
    static NftException rejected(NftScript script, String errorText, int rc) {
        List<NftError> errors = parse(errorText);
        int ops = script.opCount();
        if (errors.isEmpty()) {
            String text = errorText == null || errorText.isBlank() ? "no error text (rc " + rc + ")" : errorText.strip();
            return new NftException("nft rejected the transaction of " + ops + " ops: " + text, -1, text);
        }
        NftError first = errors.getFirst();
        int op = first.line() > 0 ? script.opAt(first.line()) : -1;
        StringBuilder sb = new StringBuilder();
        if (op >= 0) {
            sb.append("nft rejected op ").append(op + 1).append(" of ").append(ops)
              .append(" (").append(script.summaries().get(op)).append("): ");
        } else {
            sb.append("nft rejected the transaction of ").append(ops).append(" ops: ");
        }
        sb.append(first.message());
        appendLocation(sb, first);
        if (errors.size() > 1) {
            sb.append("; ").append(errors.size() - 1).append(" more error(s): ");
            for (int i = 1; i < errors.size(); i++) {
                NftError e = errors.get(i);
                int eop = e.line() > 0 ? script.opAt(e.line()) : -1;
                if (i > 1) {
                    sb.append(", ");
                }
                sb.append(eop >= 0 ? "op " + (eop + 1) : "line " + e.line()).append(": ").append(e.message());
            }
        }
        return new NftException(sb.toString(), op, first.message());
    }

    /** The exception for a failed listing, e.g. {@code nft list table inet fw4 failed: No such file or directory}. */
    static NftException listFailed(String command, String errorText, int rc) {
        List<NftError> errors = parse(errorText);
        String text = errors.isEmpty()
                ? (errorText == null || errorText.isBlank() ? "no error text (rc " + rc + ")" : errorText.strip())
                : errors.getFirst().message();
        return new NftException("nft " + command + " failed: " + text, -1, text);
    }

    /** True when the error says the object is not there (ENOENT), e.g. listing a missing table. */
    static boolean isNotFound(NftException e) {
        return e.nftMessage().contains("No such file or directory");
    }

    private static void appendLocation(StringBuilder sb, NftError e) {
        if (e.line() > 0) {
            sb.append(" [line ").append(e.line()).append(':').append(e.column());
            if (!e.source().isEmpty()) {
                String src = e.source().length() > SOURCE_EXCERPT ? e.source().substring(0, SOURCE_EXCERPT) + "..." : e.source();
                sb.append(": ").append(src);
            }
            sb.append(']');
        }
    }

    private static boolean isCaretLine(String[] lines, int i) {
        if (i >= lines.length) {
            return false;
        }
        String s = lines[i];
        return s.indexOf('^') >= 0 && s.chars().allMatch(c -> c == '^' || c == ' ' || c == '\t' || c == '~');
    }
}

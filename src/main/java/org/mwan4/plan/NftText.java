package org.mwan4.plan;

import java.util.Optional;
import org.mwan4.config.Family;

/**
 * How config values become nft text without being able to inject nft syntax. nft strings have no escape
 * for {@code "} and a chain or set name ends at the first character the scanner does not take, so values
 * are reduced to characters that cannot end a token: names to {@code [A-Za-z0-9_]} (UCI section names
 * already are), comments and log prefixes to a printable set without quotes or backslashes, device and
 * set names are accepted only when they already are safe (a rule for an unsafe one is left out).
 */
public final class NftText {
    /** nft refuses longer comments ("comment too long, 128 characters maximum allowed"). */
    static final int COMMENT_MAX = 128;
    /** NF_LOG_PREFIXLEN 128 including the NUL, linux/netfilter/nf_log.h. */
    static final int LOG_PREFIX_MAX = 127;
    /** IFNAMSIZ 16 including the NUL, linux/if.h. */
    static final int IFNAME_MAX = 15;

    private NftText() {}

    /** A config name as the part of a chain or set name: anything outside {@code [A-Za-z0-9_]} becomes {@code _}. */
    public static String namePart(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(isWordChar(c) ? c : '_');
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    /** The inside of a comment or log prefix: printable ASCII without {@code "} and {@code \}, at most {@code max} chars. */
    public static String text(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return sb.toString();
    }

    /** {@code comment "..."} as nft prints it. */
    public static String comment(String s) {
        return "comment \"" + text(s, COMMENT_MAX) + "\"";
    }

    /** A device name nft can carry in a quoted string, unchanged: a valid Linux name of safe characters. */
    public static Optional<String> device(String dev) {
        if (dev == null || dev.isEmpty() || dev.length() > IFNAME_MAX) {
            return Optional.empty();
        }
        for (int i = 0; i < dev.length(); i++) {
            char c = dev.charAt(i);
            // '*' would turn iifname into a wildcard match; quotes, blanks and '/' are never part of a device name we write
            if (!(isWordChar(c) || c == '.' || c == '-' || c == '@' || c == '+')) {
                return Optional.empty();
            }
        }
        return Optional.of(dev);
    }

    /** A user's set name usable after {@code @} (the nft scanner's identifier, without {@code /}). */
    public static Optional<String> setName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            return Optional.empty();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isWordChar(c) || c == '.' || c == '-')) {
                return Optional.empty();
            }
        }
        return Optional.of(name);
    }

    /** {@code 0x00003f00}: nft prints marks as 32-bit hex with leading zeros. */
    public static String hex32(int v) {
        String h = Integer.toHexString(v);
        return "0x" + "00000000".substring(h.length()) + h;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    // ---- names of our objects (ARCHITECTURE "Names that must match the spec") ----

    public static final String PREROUTING = "mwan4_prerouting";
    public static final String OUTPUT = "mwan4_output";
    public static final String IFACES_IN = "mwan4_ifaces_in";

    public static String rulesChain(Family f) {
        return "mwan4_rules_" + f.id();
    }

    public static String ifaceInChain(String iface, Family f) {
        return "mwan4_iface_in_" + namePart(iface) + "_" + f.id();
    }

    public static String strategyChain(String strategy, Family f) {
        return "mwan4_strategy_" + namePart(strategy) + "_" + f.id();
    }

    public static String stickyChain(String rule, Family f) {
        return "mwan4_rule_" + namePart(rule) + "_" + f.id();
    }

    /** The sticky set of one interface (by its mark id) of a sticky rule: {@code mwan4_rule_ipv4_https_1}. */
    public static String stickySet(String rule, Family f, int ifaceId) {
        return "mwan4_rule_" + f.id() + "_" + namePart(rule) + "_" + ifaceId;
    }

    /** {@code connected}, {@code custom} or {@code dynamic}. */
    public static String addressSet(String kind, Family f) {
        return "mwan4_" + kind + "_" + f.id();
    }
}

package org.mwan4.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which names from a config may reach nft and the kernel. Config values are only ever used as whole
 * identifiers, never pasted as syntax, and these checks make sure an identifier cannot be anything else.
 */
public final class Names {
    private Names() {}

    /** NFT_NAME_MAXLEN (256, linux/netfilter/nf_tables.h) counts the terminating NUL. */
    public static final int NFT_NAME_MAX = 255;
    /** IFNAMSIZ (16, linux/if.h) counts the terminating NUL. */
    public static final int DEVICE_NAME_MAX = 15;

    /**
     * The longest text the planner puts around a name of each kind (spec "nftables Chain/Set Naming"):
     * {@code mwan4_iface_in_<iface>_ipv6}, {@code mwan4_strategy_<name>_ipv6},
     * {@code mwan4_rule_<name>_ipv6} and {@code mwan4_rule_ipv6_<name>_<interface id>} (a sticky set per interface;
     * ids are at most 10 digits).
     */
    public enum Kind {
        INTERFACE("interface", "mwan4_iface_in_".length() + "_ipv6".length()),
        ROUTE("route", "mwan4_strategy_".length() + "_ipv6".length()),
        STRATEGY("strategy", "mwan4_strategy_".length() + "_ipv6".length()),
        RULE("rule", "mwan4_rule_ipv6_".length() + "_2147483647".length());

        private final String word;
        private final int affix;

        Kind(String word, int affix) {
            this.word = word;
            this.affix = affix;
        }

        /** The longest name of this kind whose derived nft names all fit. */
        public int maxLength() {
            return NFT_NAME_MAX - affix;
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.+@-]+");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    /** Why {@code name} can't be a section name of this kind, or empty when it can. */
    public static Optional<String> problem(Kind kind, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return Optional.of(kind.word + " name '" + name + "' must start with a letter and hold only letters, digits"
                    + " and _ (it becomes part of nft chain and set names)");
        }
        if (name.length() > kind.maxLength()) {
            return Optional.of(kind.word + " name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters; at most " + kind.maxLength() + " fit into nft names (NFT_NAME_MAXLEN)");
        }
        return Optional.empty();
    }

    /** Why {@code name} can't be an nft set name we reference ({@code ip daddr @name}), or empty. */
    public static Optional<String> setProblem(String name) {
        if (!SET_NAME.matcher(name).matches() || name.length() > NFT_NAME_MAX) {
            return Optional.of("ipset '" + name + "' is not an nft set name (a letter or _, then letters, digits,"
                    + " _ . -; at most " + NFT_NAME_MAX + " characters)");
        }
        return Optional.empty();
    }

    /** Why {@code name} can't be a Linux device name (dev_valid_name, narrowed to what is safe in nft strings). */
    public static Optional<String> deviceProblem(String name) {
        if (!DEVICE.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return Optional.of("device '" + name + "' is not a Linux device name (letters, digits and _ . + @ -)");
        }
        if (name.length() > DEVICE_NAME_MAX) {
            return Optional.of("device '" + name + "' is longer than " + DEVICE_NAME_MAX + " characters (IFNAMSIZ)");
        }
        return Optional.empty();
    }

    /** Why {@code name} can't be a DNS name to query, or empty. */
    public static Optional<String> dnsProblem(String name) {
        if (!DNS_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a DNS name");
        }
        return Optional.empty();
    }
}

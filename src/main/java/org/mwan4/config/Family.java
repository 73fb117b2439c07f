package org.mwan4.config;

/** Address family of a tracker, a rule, a set or a route. {@link #id()} is the spelling used in config and nft names. */
public enum Family {
    IPV4("ipv4", "ip"),
    IPV6("ipv6", "ip6");

    private final String id;
    private final String nftFamily;

    Family(String id, String nftFamily) {
        this.id = id;
        this.nftFamily = nftFamily;
    }

    /** {@code ipv4} / {@code ipv6}, as in {@code list family 'ipv4'} and {@code mwan4_connected_ipv4}. */
    public String id() {
        return id;
    }

    /** {@code ip} / {@code ip6}, the nft payload protocol keyword ({@code ip saddr}, {@code ip6 daddr}). */
    public String nftFamily() {
        return nftFamily;
    }

    public static java.util.Optional<Family> parse(String s) {
        for (Family f : values()) {
            if (f.id.equals(s)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}

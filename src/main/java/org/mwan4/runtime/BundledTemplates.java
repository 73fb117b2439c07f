package org.mwan4.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.mwan4.plan.NftTemplates;

/** The ruleset-post templates shipped inside the jar (copied from the repository's {@code nft-templates/}). */
public final class BundledTemplates {
    private BundledTemplates() {}

    public static NftTemplates load() {
        return new NftTemplates(read(NftTemplates.BASE), read(NftTemplates.INTERFACES), read(NftTemplates.STRATEGIES),
                read(NftTemplates.RULES));
    }

    private static String read(String file) {
        String res = "/nft-templates/" + file;
        try (InputStream in = BundledTemplates.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("nft template " + res + " is missing from the mwan4 jar (broken build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nft template " + res, e);
        }
    }
}

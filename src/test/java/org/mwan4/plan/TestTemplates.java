package org.mwan4.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The templates from the repository's {@code nft-templates/}, as the CLI would read them. */
final class TestTemplates {
    private TestTemplates() {}

    static NftTemplates load() {
        Path dir = TestStates.repo().resolve("nft-templates");
        try {
            return new NftTemplates(Files.readString(dir.resolve(NftTemplates.BASE)), Files.readString(dir.resolve(NftTemplates.INTERFACES)),
                    Files.readString(dir.resolve(NftTemplates.STRATEGIES)), Files.readString(dir.resolve(NftTemplates.RULES)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nft templates from " + dir, e);
        }
    }
}

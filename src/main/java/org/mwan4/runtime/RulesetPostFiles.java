package org.mwan4.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Function;
import org.mwan4.plan.Desired;

/**
 * The four {@code 1x-mwan4-*.nft} files in fw4's {@code ruleset-post} directory, rewritten atomically after
 * every kernel step that changed what we want, so a {@code fw4 reload} (which recreates {@code table inet fw4}
 * and loads these files) restores the latest state, not the one of the daemon's start.
 */
public final class RulesetPostFiles {
    /** fw4 loads {@code /usr/share/nftables.d/ruleset-post/*.nft} after it created its table. */
    public static final String DIRECTORY = "usr/share/nftables.d/ruleset-post";

    private final Path dir;
    private final Function<Desired, SequencedMap<String, String>> render;
    private Desired written;

    /** @param render a whole Desired as file name -> text (only the {@code .nft} ones are written) */
    public RulesetPostFiles(Path dir, Function<Desired, SequencedMap<String, String>> render) {
        this.dir = dir;
        this.render = render;
    }

    public Path dir() {
        return dir;
    }

    /** Writes the files of {@code want} unless they were written for an equal Desired; returns the files replaced. */
    public synchronized List<Path> write(Desired want) throws IOException {
        if (want.equals(written)) {
            return List.of();
        }
        List<Path> changed = new ArrayList<>();
        for (Map.Entry<String, String> f : render.apply(want).entrySet()) {
            if (!f.getKey().endsWith(".nft")) {
                continue; // ip-rules.txt and routes.txt are for humans (mwan4 render), fw4 would not load them
            }
            Path target = dir.resolve(f.getKey());
            if (AtomicFiles.write(target, f.getValue())) {
                changed.add(target);
            }
        }
        written = want;
        return changed;
    }

    /** Deletes our files (at stop without --keep-rules), so a later fw4 reload does not bring our rules back. */
    public synchronized List<Path> remove() throws IOException {
        List<Path> removed = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().matches("1\\d-mwan4-.*\\.nft")).sorted().toList()) {
                    Files.delete(p);
                    removed.add(p);
                }
            }
        }
        written = null;
        return removed;
    }
}

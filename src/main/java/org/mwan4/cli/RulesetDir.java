package org.mwan4.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mwan4.plan.Desired;
import org.mwan4.plan.RulesetFiles;
import org.mwan4.runtime.BundledTemplates;

/** Writes a Desired as the ruleset-post files plus ip-rules.txt and routes.txt into a directory (render, replay). */
final class RulesetDir {
    private RulesetDir() {}

    /** @return how many files were written */
    static int write(Path dir, Desired d) throws IOException {
        Map<String, String> files = RulesetFiles.render(d, BundledTemplates.load());
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return files.size();
    }
}

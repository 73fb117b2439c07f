package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The text shape of the four ruleset-post files, from {@code nft-templates/} (the caller reads them; plan does
 * no I/O). A template is nft text with three placeholder lines the renderer fills, each replaced by its block
 * or dropped when the block is empty:
 * <ul>
 *   <li>{@code @DECLARE@}: inside {@code table inet fw4 { }}, every set and chain the file fills or jumps to,
 *       empty, so the file loads on its own after the ones before it;</li>
 *   <li>{@code @FLUSH@}: {@code flush set/chain} for what the file fills, so loading it again does not duplicate;</li>
 *   <li>{@code @DEFINE@}: inside {@code table inet fw4 { }}, the sets with their elements and the chains with their rules.</li>
 * </ul>
 */
public record NftTemplates(String base, String interfaces, String strategies, String rules) {
    public static final String BASE = "10-mwan4-base.nft";
    public static final String INTERFACES = "11-mwan4-interfaces.nft";
    public static final String STRATEGIES = "12-mwan4-strategies.nft";
    public static final String RULES = "13-mwan4-rules.nft";
    public static final List<String> FILES = List.of(BASE, INTERFACES, STRATEGIES, RULES);
    static final List<String> PLACEHOLDERS = List.of("@DECLARE@", "@FLUSH@", "@DEFINE@");

    public NftTemplates {
        for (String t : List.of(base, interfaces, strategies, rules)) {
            for (String p : PLACEHOLDERS) {
                if (t.lines().noneMatch(l -> l.strip().equals(p))) {
                    throw new IllegalArgumentException("nft template lacks a line " + p + " (it starts: "
                            + t.lines().findFirst().orElse("") + ")");
                }
            }
        }
    }

    /** The template of one of {@link #FILES}. */
    public String of(String file) {
        return switch (file) {
            case BASE -> base;
            case INTERFACES -> interfaces;
            case STRATEGIES -> strategies;
            case RULES -> rules;
            default -> throw new IllegalArgumentException("no nft template " + file + "; there are " + FILES);
        };
    }

    /** The template with each placeholder line replaced by its block (declare, flush, define). */
    static String fill(String template, List<String> declare, List<String> flush, List<String> define) {
        List<String> out = new ArrayList<>();
        for (String line : template.lines().toList()) {
            switch (line.strip()) {
                case "@DECLARE@" -> out.addAll(declare);
                case "@FLUSH@" -> out.addAll(flush);
                case "@DEFINE@" -> out.addAll(define);
                default -> out.add(line);
            }
        }
        return String.join("\n", out) + "\n";
    }
}

package org.mwan4.api.view;

/**
 * One rule of one of our chains with the kernel's counters ({@code GET /v1/rules}).
 *
 * @param name    the user rule's name (the rule comment), or "" when the rule has none
 * @param rule    the rule as {@code nft list chain} prints it
 */
public record RuleView(String chain, String family, String name, String rule, long packets, long bytes) {}

package org.mwan4.api.view;

/**
 * {@code GET /v1/interfaces/{name}/use}: where {@code mwan4 use IFACE CMD} puts a command so its traffic leaves
 * through IFACE.
 *
 * @param cgroup the cgroup v2 directory; a process whose pid is written to its {@code cgroup.procs} (before it opens
 *               sockets) is routed through the interface
 * @param mark   the interface's fwmark in hex, which the sockets of that cgroup get in the output hook
 * @param match  the nft match of the rule that does it ({@code socket cgroupv2 level 2 "mwan4/wan"})
 */
public record UseView(String name, String cgroup, String mark, String match) {}

package org.mwan4.config;

/** {@code config route 'wan_m1_w3'} (mwan3: member): an interface with a metric tier and a weight in it. */
public record Route(String name, String iface, int metric, int weight, Position position) {}

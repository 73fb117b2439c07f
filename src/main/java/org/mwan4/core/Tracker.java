package org.mwan4.core;

/**
 * One tracker (interface x family). The core issue fills in the rest of the fields
 * (score, lost, turn, online/offline timestamps, per-target state, tracking state, ...).
 */
public record Tracker(TrackerStatus status) {}

package io.statelesslb.domain.model;

import io.vavr.collection.SortedSet;

/** The external side of a trench: which VIPs are announced, and to which gateways. */
public record Attractor(String name, SortedSet<String> vips, SortedSet<String> gateways) {
}

package io.statelesslb.domain.model;

/** The scope of one deployment; one daemon serves exactly one trench. */
public record Trench(String name) {
}

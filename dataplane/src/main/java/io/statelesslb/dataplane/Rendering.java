package io.statelesslb.dataplane;

/** What one Linux command prints about the dataplane, such as {@code ip rule} and its output. */
public record Rendering(String command, String output) {
}

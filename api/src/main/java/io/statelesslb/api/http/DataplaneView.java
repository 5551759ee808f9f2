package io.statelesslb.api.http;

import java.util.List;

/**
 * The whole dataplane as the Linux tools print it, and the sequence whose plan it matches.
 *
 * @param backend the backend that holds it: {@code sim} or {@code kernel}
 */
public record DataplaneView(String backend, long sequence, List<ToolOutput> views) {

    /** What one command prints, such as {@code ip rule} and its output. */
    public record ToolOutput(String command, String output) {
    }
}

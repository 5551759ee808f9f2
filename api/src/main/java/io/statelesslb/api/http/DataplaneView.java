package io.statelesslb.api.http;

import java.util.List;

/**
 * The whole dataplane as the Linux tools print it, and the sequence whose plan it matches.
 *
 * @param backend the backend: {@code sim} or {@code kernel}
 * @param source  {@code dataplane}: what the backend holds, read back from it (on the kernel, with the kernel's
 *                counters); {@code model}: the plan of the state, what it should hold
 */
public record DataplaneView(String backend, String source, long sequence, List<ToolOutput> views) {

    /** What one command prints, such as {@code ip rule} and its output. */
    public record ToolOutput(String command, String output) {
    }
}

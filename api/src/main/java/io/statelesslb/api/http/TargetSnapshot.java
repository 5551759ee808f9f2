package io.statelesslb.api.http;

import java.util.List;

/** Every target at one sequence: the first event of a target watch that does not resume. */
public record TargetSnapshot(long sequence, List<TargetView> targets) {
}

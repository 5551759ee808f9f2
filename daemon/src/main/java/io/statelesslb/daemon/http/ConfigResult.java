package io.statelesslb.daemon.http;

import java.util.List;

/**
 * What applying a configuration did: the events it recorded (or, in a dry run, would submit), and the problems
 * of an event refused on the way (the ones before it stay recorded).
 */
public record ConfigResult(boolean dryRun, List<Object> events, List<FieldProblem> problems) {
}

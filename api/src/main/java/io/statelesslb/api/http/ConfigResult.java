package io.statelesslb.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What applying a configuration did: the events it recorded (or, in a dry run, the changes it would submit, each in
 * the self-describing form of its event), and the problems of a change refused on the way (the ones before it stay
 * recorded).
 */
public record ConfigResult(boolean dryRun, List<JsonNode> events, List<FieldProblem> problems) {
}

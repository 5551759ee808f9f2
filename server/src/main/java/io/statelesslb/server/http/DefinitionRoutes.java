package io.statelesslb.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statelesslb.api.codec.Json;
import io.statelesslb.controller.Controller;
import io.statelesslb.domain.command.ConfigurationCommand;
import io.statelesslb.domain.event.ConfigurationEvent;
import java.io.IOException;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Configuration objects of every kind (trenches, conduits, streams, flows, vips, attractors, gateways), each shown
 * as the body that defines it, so that what is read can be written back.
 *
 * <pre>
 * GET    /v1/{kind}                 every object of the kind (for flows: ?view=definitions)
 * GET    /v1/{kind}/{name}
 * PUT    /v1/{kind}/{name}          defines or redefines it; the body is the definition (its name optional)
 * DELETE /v1/{kind}/{name}
 * </pre>
 */
final class DefinitionRoutes {

    private DefinitionRoutes() {
    }

    static void add(Router router, Controller controller) {
        router.add("GET", "/v1/{kind}", call -> Mono.fromSupplier(() -> Reply.ok(list(controller, kind(call)))))
                .add("GET", "/v1/{kind}/{name}", call -> Mono.fromSupplier(() -> {
                    ConfigurationKind kind = kind(call);
                    String name = call.path("name");
                    return Reply.ok(list(controller, kind).stream().filter(d -> d.name().equals(name)).findFirst()
                            .orElseThrow(() -> ApiException.of(404, "not_found", "name", "no " + kind.path()
                                    + " called " + name)));
                }))
                .add("PUT", "/v1/{kind}/{name}", call -> call.body().defaultIfEmpty(new byte[0]).flatMap(body -> {
                    ConfigurationKind kind = kind(call);
                    ConfigurationCommand definition = definition(kind, call.path("name"), body);
                    boolean exists = list(controller, kind).stream()
                            .anyMatch(d -> d.name().equals(definition.name()));
                    return Submissions.submit(controller, call, definition, exists ? 200 : 201);
                }))
                .add("DELETE", "/v1/{kind}/{name}", call -> Mono.defer(() -> Submissions.submit(controller, call,
                        kind(call).delete(call.path("name")), 200)));
    }

    static List<? extends ConfigurationEvent> list(Controller controller, ConfigurationKind kind) {
        return kind.list(controller.state());
    }

    private static ConfigurationKind kind(Call call) {
        return ConfigurationKind.ofPath(call.path("kind")).orElseThrow(() -> ApiException.of(404, "not_found",
                "kind", "no resource /v1/" + call.path("kind") + " (expected one of: targets, events, "
                        + ConfigurationKind.paths() + ")"));
    }

    /** The body with the name from the path, decoded strictly into the kind's defining command. */
    private static ConfigurationCommand definition(ConfigurationKind kind, String name, byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.of(400, "malformed", "body", "the body is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.of(400, "malformed", "body", "the body is not a JSON object (expected: the fields"
                    + " that define one of the " + kind.path() + ")");
        }
        JsonNode named = object.get("name");
        if (named != null && !named.asText().equals(name)) {
            throw ApiException.of(400, "conflict", "name", "name=" + named.asText() + " (expected: " + name
                    + ", the name in the path, or no name)");
        }
        object.put("name", name);
        try {
            return Call.decode(Json.mapper().writeValueAsBytes(object), kind.definition());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

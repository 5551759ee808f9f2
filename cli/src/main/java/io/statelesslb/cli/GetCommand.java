package io.statelesslb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.http.TargetView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slb get KIND [NAME]}: objects of a kind as a table, or their definitions as JSON or YAML. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        header = "List the objects of a kind, or show one.",
        description = {"KIND is one of targets, trenches, conduits, streams, flows, vips, attractors, gateways (or"
                + " its singular). A table names each object with its main fields (-o wide: all of them); -o json and"
                + " -o yaml give each object's definition, the body PUT /v1/KIND/NAME takes. A target's NAME is"
                + " STREAM/ID."},
        footer = {"", "Examples:",
                "  slb get vips",
                "  slb get flow flow-a-z-tcp -o yaml",
                "  slb get targets stream-a-i/44"})
final class GetCommand implements Callable<Integer> {

    /** The table shows this many of an object's fields after its name; -o wide shows every one. */
    private static final int MAIN_FIELDS = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND", converter = ObjectKind.Converter.class, description = "What to"
            + " list: targets, trenches, conduits, streams, flows, vips, attractors or gateways.")
    ObjectKind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One object (a target: STREAM/ID).")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DaemonClient daemon = client.client();
        if (kind == ObjectKind.TARGETS) {
            List<TargetView> targets = name == null ? daemon.targets(null) : List.of(targetOf(daemon));
            client.output.print(out, name == null ? targets : targets.get(0),
                    table -> TargetsCommand.print(table, targets));
            return 0;
        }
        List<JsonNode> definitions = name == null ? daemon.definitions(kind.path())
                : List.of(daemon.definition(kind.path(), name));
        client.output.print(out, name == null ? definitions : definitions.get(0), table -> print(table, definitions));
        return 0;
    }

    private TargetView targetOf(DaemonClient daemon) {
        TargetName target = TargetName.parse(spec, name);
        return daemon.targetStatus(target.stream(), target.identifier());
    }

    private void print(PrintWriter out, List<JsonNode> definitions) {
        out.printf("%-24s %s%n", "NAME", client.output.wide() ? "DEFINITION" : "MAIN FIELDS (-o wide: all)");
        for (JsonNode definition : definitions) {
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) definition::fields) {
                if (!field.getKey().equals("name") && !isEmpty(field.getValue())) {
                    fields.add(field.getKey() + "=" + text(field.getValue()));
                }
            }
            List<String> shown = client.output.wide() ? fields : fields.subList(0, Math.min(MAIN_FIELDS,
                    fields.size()));
            out.printf("%-24s %s%s%n", definition.path("name").asText(), String.join(" ", shown),
                    shown.size() < fields.size() ? " ..." : "");
        }
        if (definitions.isEmpty()) {
            out.println("(no " + kind.path() + ")");
        }
    }

    private static boolean isEmpty(JsonNode value) {
        return value.isNull() || (value.isContainerNode() && value.isEmpty());
    }

    /** @return a field's value as one word: lists joined by commas, objects as compact JSON */
    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}

package io.statelesslb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.api.client.DaemonException;
import io.statelesslb.api.http.ConfigResult;
import io.statelesslb.config.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code slb diff -f FILE}: the changes a configuration file would make, as the daemon's dry run lists them, each
 * shown against the object as the daemon defines it now: the fields that change, old and new.
 */
final class ConfigurationDiff {

    private ConfigurationDiff() {
    }

    /** @return 0 when the file matches the state, 1 when applying it would change something */
    static int print(CommandSpec spec, ClientOptions client, Path file) throws IOException {
        ConfigurationText text = ConfigurationText.read(file);
        DaemonClient daemon = client.client();
        ConfigResult planned = daemon.applyConfiguration(text.name(), text.yaml(), true);
        List<String> lines = new ArrayList<>();
        for (JsonNode event : planned.events()) {
            lines.add(describe(daemon, event));
        }
        PrintWriter out = spec.commandLine().getOut();
        client.output.print(out, planned, table -> {
            if (lines.isEmpty()) {
                table.println("no changes: the daemon's state matches " + text.origin());
            }
            lines.forEach(table::println);
        });
        return lines.isEmpty() ? 0 : SlbCommand.FAILURE;
    }

    /** @return one planned event as a line of the diff: + new, - deleted, ~ changed with its fields */
    private static String describe(DaemonClient daemon, JsonNode event) {
        String type = event.path("type").asText();
        if (type.equals("LoadBalancerConfigured")) {
            return "~ loadBalancer: " + fields(event, null);
        }
        if (type.equals("TargetRegistered")) {
            return "+ targets/" + event.path("stream").asText() + "/" + event.path("identifier").asText() + " "
                    + fields(event, null);
        }
        String kind = kindOf(type);
        String object = kind + "/" + event.path("name").asText();
        if (type.endsWith("Deleted")) {
            return "- " + object;
        }
        JsonNode current;
        try {
            current = daemon.definition(kind, event.path("name").asText());
        } catch (DaemonException e) {
            if (e.status() != 404) {
                throw e;
            }
            return "+ " + object + " " + fields(event, null);
        }
        return "~ " + object + " " + fields(event, current);
    }

    /** @return the API's path for the kind an event such as {@code VipDefined} defines: {@code vips} */
    private static String kindOf(String type) {
        String noun = type.replaceAll("(Defined|Deleted)$", "");
        String lower = Character.toLowerCase(noun.charAt(0)) + noun.substring(1);
        return lower.endsWith("ch") ? lower + "es" : lower + "s";
    }

    /**
     * @return the fields of {@code event} (its type and name aside) as {@code field=value}, or, against
     *         {@code current}, the fields that differ as {@code field: old => new}
     */
    private static String fields(JsonNode event, JsonNode current) {
        TreeSet<String> names = new TreeSet<>();
        event.fieldNames().forEachRemaining(names::add);
        if (current != null) {
            current.fieldNames().forEachRemaining(names::add);
        }
        names.remove("type");
        names.remove("name");
        List<String> parts = new ArrayList<>();
        for (String field : names) {
            JsonNode now = event.path(field);
            if (current == null) {
                if (!now.isMissingNode() && !(now.isContainerNode() && now.isEmpty())) {
                    parts.add(field + "=" + text(now));
                }
            } else if (!now.equals(current.path(field))) {
                parts.add(field + ": " + text(current.path(field)) + " => " + text(now));
            }
        }
        return String.join(", ", parts);
    }

    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "(none)";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (value.isObject()) {
            List<String> items = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                items.add(field.getKey() + "=" + text(field.getValue()));
            }
            return "{" + String.join(",", items) + "}";
        }
        return value.asText();
    }
}

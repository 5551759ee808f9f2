package io.statelesslb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.statelesslb.api.codec.Json;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The one way every command prints what it got: {@code -o table} (the default) for people, {@code -o wide} for
 * people with a wide terminal (more columns where a command has them), {@code -o json} or {@code -o yaml} for
 * programs. JSON is one document on one line; YAML is a document per value, each opened by
 * {@code ---}, so that a stream of them (a follow, a replay) reads as one YAML stream.
 */
final class Output {

    /** How results are printed. */
    enum Format { table, wide, json, yaml }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table (for"
            + " people, the default), wide (a table with every column), json (one document per line) or yaml.")
    Format format = Format.table;

    /** Prints {@code value} as the format says; {@code table} prints it for people. */
    void print(PrintWriter out, Object value, Consumer<PrintWriter> table) {
        switch (format) {
            case json -> out.println(json(value));
            case yaml -> out.print(yaml(value));
            case table, wide -> table.accept(out);
        }
        out.flush();
    }

    /** @return whether a table should show every column */
    boolean wide() {
        return format == Format.wide;
    }

    /** @return {@code value} as one line of JSON, with the domain's values in their text forms */
    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** @return {@code value} as a YAML document, through the same JSON tree {@link #json} writes */
    static String yaml(Object value) {
        try {
            JsonNode tree = value instanceof JsonNode node ? node : Json.mapper().valueToTree(value);
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as YAML: "
                    + e.getOriginalMessage(), e);
        }
    }
}

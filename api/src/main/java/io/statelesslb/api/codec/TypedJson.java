package io.statelesslb.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The self-describing form of an event, as files and the HTTP API hold them: a JSON object whose {@code "type"}
 * names the event and whose other fields are the event's. Read once, for events and the commands that ask for them.
 *
 * @param fields the object without its {@code type}
 */
record TypedJson(EventType type, ObjectNode fields) {

    static final String TYPE_FIELD = "type";

    /** @throws CodecException when {@code json} is not an object with a known {@code type} */
    static TypedJson parse(String json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new CodecException("not JSON: " + EventCodec.message(e), e);
        }
        if (node == null || !node.isObject()) {
            throw new CodecException("event=" + json + " (expected: a JSON object with a \"type\" field)");
        }
        JsonNode typeNode = node.get(TYPE_FIELD);
        if (typeNode == null || !typeNode.isTextual()) {
            throw new CodecException("type is missing (expected: an event name such as TargetRegistered)");
        }
        EventType type = EventType.ofName(typeNode.asText())
                .orElseThrow(() -> new CodecException("type=" + typeNode.asText() + " (expected: one of "
                        + Arrays.stream(EventType.values()).map(EventType::typeName).collect(Collectors.joining(", "))
                        + ")"));
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove(TYPE_FIELD);
        return new TypedJson(type, fields);
    }

    /**
     * Binds the fields to {@code record}, strictly: a field the record does not have, or a number or flag left out,
     * is named in the error, before any value is read.
     *
     * @throws CodecException naming the type and the field at fault
     */
    <T> T bind(Class<T> record) {
        List<String> names = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).sorted()
                .toList();
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!names.contains(field)) {
                throw new CodecException(type.typeName() + " does not decode: " + field + " is not one of its fields"
                        + " (expected one of: " + String.join(", ", names) + ")");
            }
        }
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getType().isPrimitive() && !fields.has(component.getName())) {
                throw new CodecException(type.typeName() + " does not decode: " + component.getName()
                        + " is required");
            }
        }
        try {
            return Json.mapper().treeToValue(fields, record);
        } catch (IOException e) {
            throw new CodecException(type.typeName() + " does not decode: " + EventCodec.message(e), e);
        }
    }
}

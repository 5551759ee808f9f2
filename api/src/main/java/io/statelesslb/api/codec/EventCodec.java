package io.statelesslb.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statelesslb.domain.event.Event;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Encodes events as JSON and back. Two forms: the body of a log record, whose type travels separately as an
 * {@link EventType} code; and the self-describing form used in files and the HTTP API, which adds a
 * {@code "type"} field with the event's name ({@code {"type":"TargetRegistered","stream":"s",...}}).
 * Decoding is strict: unknown fields, missing primitives and trailing data are errors.
 */
public final class EventCodec {

    /**
     * The flag of a log record's type code whose body is an envelope: {@code {"source": "...", "instance": "...",
     * "event": {...}}}, saying who asked for the change and, for an instance's own observation in a stream that
     * several instances share, which instance it belongs to (either may be absent, not both). Records written before
     * sources were kept have bodies of the event alone.
     */
    public static final int WITH_SOURCE = 0x4000;

    /**
     * What a log record holds: the event, who asked for it (null in records written without a source) and the
     * instance whose own observation it is (null for a trench-wide fact).
     */
    public record Stored(Event event, String source, String instance) {

        /** A trench-wide fact. */
        public Stored(Event event, String source) {
            this(event, source, null);
        }
    }

    /**
     * Fields an event type gained after logs were written without them, with the value those logs meant: an
     * earlier log reads as it always did, while a field missing from a newer record is still an error.
     */
    private static final Map<EventType, Map<String, Boolean>> LATER_FIELDS = Map.of(
            // 0.3: the queues' CPU fanout; before it, queues were spread by address only.
            EventType.LOAD_BALANCER_CONFIGURED, Map.of("queueFanout", false));

    /** One prepared reader per type: replay decodes millions of bodies, and a lookup per body shows. */
    private static final Map<EventType, ObjectReader> READERS = new EnumMap<>(EventType.class);

    static {
        for (EventType type : EventType.values()) {
            READERS.put(type, Json.mapper().readerFor(type.javaType()));
        }
    }

    private EventCodec() {
    }

    /** @return the type code a log record of {@code event} is written with, flagged when it has a source */
    public static int recordType(Event event, String source) {
        return recordType(event, source, null);
    }

    /** @return the type code a log record of {@code event} is written with, flagged when it has an envelope */
    public static int recordType(Event event, String source, String instance) {
        return EventType.of(event).code() | (source == null && instance == null ? 0 : WITH_SOURCE);
    }

    /** @return the body a log record of {@code event} is written with: the event, or it and its source */
    public static byte[] recordBody(Event event, String source) {
        return recordBody(event, source, null);
    }

    /** @return the body a log record of {@code event} is written with: the event, or its envelope */
    public static byte[] recordBody(Event event, String source, String instance) {
        if (source == null && instance == null) {
            return encodeBody(event);
        }
        ObjectNode envelope = Json.mapper().createObjectNode();
        if (source != null) {
            envelope.put("source", source);
        }
        if (instance != null) {
            envelope.put("instance", instance);
        }
        envelope.set("event", Json.mapper().valueToTree(event));
        return bytes(event, envelope);
    }

    /**
     * @return what a log record of {@code typeCode} and {@code body} holds
     * @throws CodecException when the code is unknown or the body does not fit the type (or the envelope of a
     *                        record with a source is not {@code {"source": text, "event": object}})
     */
    public static Stored decodeRecord(int typeCode, byte[] body) {
        if ((typeCode & WITH_SOURCE) == 0) {
            return new Stored(decodeBody(typeCode, body), null);
        }
        int code = typeCode & ~WITH_SOURCE;
        EventType type = type(code);
        try {
            if (!(Json.mapper().readTree(body) instanceof ObjectNode envelope)
                    || !(envelope.get("event") instanceof ObjectNode event) || !textOrAbsent(envelope, "source")
                    || !textOrAbsent(envelope, "instance") || envelope.size() == 1
                    || envelope.size() != 1 + (envelope.has("source") ? 1 : 0) + (envelope.has("instance") ? 1 : 0)) {
                throw new CodecException("body of " + type.typeName() + " with a source does not decode (expected:"
                        + " {\"source\": text, \"instance\": text, \"event\": object}, one of the first two at"
                        + " least)");
            }
            return new Stored(READERS.get(type).readValue(withLaterFields(type, event)),
                    envelope.path("source").textValue(), envelope.path("instance").textValue());
        } catch (IOException e) {
            throw new CodecException("body of " + type.typeName() + " does not decode: " + message(e), e);
        }
    }

    private static boolean textOrAbsent(ObjectNode envelope, String field) {
        return !envelope.has(field) || envelope.get(field).isTextual();
    }

    /** @return the JSON body of {@code event} (without its type), UTF-8 */
    public static byte[] encodeBody(Event event) {
        return bytes(event, event);
    }

    /** @return {@code value} (the event, or a document holding it) as compact JSON, UTF-8 */
    private static byte[] bytes(Event event, Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + EventType.of(event).typeName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param typeCode the {@link EventType} code stored with the body
     * @param body     the JSON body
     * @return the event
     * @throws CodecException when the code is unknown or the body does not fit the type
     */
    public static Event decodeBody(int typeCode, byte[] body) {
        EventType type = type(typeCode);
        try {
            if (LATER_FIELDS.containsKey(type) && Json.mapper().readTree(body) instanceof ObjectNode fields) {
                return READERS.get(type).readValue(withLaterFields(type, fields));
            }
            return READERS.get(type).readValue(body);
        } catch (IOException e) {
            throw new CodecException("body of " + type.typeName() + " does not decode: " + message(e), e);
        }
    }

    private static EventType type(int typeCode) {
        return EventType.ofCode(typeCode)
                .orElseThrow(() -> new CodecException("event type code " + typeCode + " is unknown (expected one of "
                        + java.util.Arrays.stream(EventType.values()).map(t -> Integer.toString(t.code()))
                                .reduce((a, b) -> a + ", " + b).orElse("") + ")"));
    }

    /** @return {@code event} as self-describing JSON, with its {@code type} first */
    public static String encodeTyped(Event event) {
        try {
            return Json.mapper().writeValueAsString(typedTree(event));
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + EventType.of(event).typeName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** @return {@code event} as a self-describing JSON tree, with its {@code type} first (to embed in documents) */
    public static ObjectNode typedTree(Event event) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put(TypedJson.TYPE_FIELD, EventType.of(event).typeName());
        node.setAll((ObjectNode) Json.mapper().valueToTree(event));
        return node;
    }

    /**
     * @param json a self-describing event, such as {@code {"type":"VipDefined","name":"v","address":"20.0.0.1/32"}}
     * @return the event
     * @throws CodecException naming the type or field at fault
     */
    public static Event decodeTyped(String json) {
        TypedJson typed = TypedJson.parse(json);
        withLaterFields(typed.type(), typed.fields());
        return typed.bind(typed.type().javaType());
    }

    /** @return {@code fields}, given each of {@link #LATER_FIELDS} of {@code type} they lack, with its earlier value */
    private static ObjectNode withLaterFields(EventType type, ObjectNode fields) {
        LATER_FIELDS.getOrDefault(type, Map.of()).forEach((name, value) -> {
            if (!fields.has(name)) {
                fields.put(name, value);
            }
        });
        return fields;
    }

    /** @return what is wrong, in the document's terms: Jackson's own words name Java classes */
    static String message(IOException e) {
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return invalid.getCause().getMessage();
        }
        return e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }
}

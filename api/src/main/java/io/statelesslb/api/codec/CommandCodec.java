package io.statelesslb.api.codec;

import io.statelesslb.domain.command.Command;

/**
 * Reads commands from the self-describing form events are written in: {@code {"type":"TargetRegistered",...}} in a
 * scenario file or a {@code POST /v1/events} is a claim from outside that this should be a fact, so it is read as the
 * command that asks for it ({@code RegisterTarget}, same fields, as text) and decided like any other.
 */
public final class CommandCodec {

    private CommandCodec() {
    }

    /**
     * @param json a self-describing event, such as {@code {"type":"InterfaceUp","name":"eth0",...}}
     * @return the command that asks for that event
     * @throws CodecException naming the type or field at fault
     */
    public static Command decodeTyped(String json) {
        TypedJson typed = TypedJson.parse(json);
        return typed.bind(typed.type().commandType());
    }
}

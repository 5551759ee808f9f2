package io.statelesslb.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.vavr.control.Either;
import java.io.IOException;
import java.util.function.Function;

/**
 * How the domain's value types read and write in JSON: as the strings operators type ({@code "20.0.0.1/32"},
 * {@code "4000-4010"}, {@code "tcp"}, {@code "tcp[13:1] & 0x02 = 0x02"}, {@code "bgp"}), so that events holding
 * parsed values keep the JSON form they had when they held strings. A string that does not parse fails the decoding
 * with the parser's own words.
 */
final class ValueTypes extends SimpleModule {

    ValueTypes() {
        super("stateless-lb value types");
        add(IpAddress.class, IpAddress::parse, IpAddress::toString);
        add(Cidr.class, Cidr::parse, Cidr::toString);
        add(PortRange.class, PortRange::parse, PortRange::toString);
        add(ByteMatch.class, ByteMatch::parse, ByteMatch::toString);
        add(Protocol.class, Protocol::parse, Protocol::label);
        add(GatewayProtocol.class, GatewayProtocol::parse, GatewayProtocol::label);
    }

    private <T> void add(Class<T> type, Function<String, Either<String, T>> parse, Function<T, String> format) {
        addSerializer(type, new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(format.apply(value));
            }
        });
        addDeserializer(type, new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (parser.currentToken() != JsonToken.VALUE_STRING) {
                    return type.cast(context.handleUnexpectedToken(type, parser));
                }
                String text = parser.getText();
                Either<String, T> parsed = parse.apply(text);
                if (parsed.isLeft()) {
                    throw InvalidFormatException.from(parser, parsed.getLeft(), text, type);
                }
                return parsed.get();
            }
        });
    }
}

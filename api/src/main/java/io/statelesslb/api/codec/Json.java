package io.statelesslb.api.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.model.GatewayOptions;

/** The one JSON configuration of the wire contract: strict on input, deterministic on output. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Values are taken as written: "7" is not a number, 7.5 not an integer, 7 not a string.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, integers -> integers
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(new ValueTypes())
            // A conduit without port translations is written as version 0.1 wrote it, which had none.
            .withConfigOverride(ConduitDefined.class, override -> override.setInclude(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY)))
            // A gateway with the default session options is written as version 0.1 wrote it, which had none.
            .withConfigOverride(GatewayOptions.class, override -> override.setInclude(JsonInclude.Value.construct(
                    JsonInclude.Include.CUSTOM, JsonInclude.Include.ALWAYS, DefaultOptions.class, null)))
            .build();

    /** Jackson's filter for the default gateway options: a value it equals is left out. */
    private static final class DefaultOptions {
        @Override
        public boolean equals(Object value) {
            return value == null || GatewayOptions.DEFAULTS.equals(value);
        }

        @Override
        public int hashCode() {
            return GatewayOptions.DEFAULTS.hashCode();
        }
    }

    private Json() {
    }

    /** @return the shared mapper; thread-safe once configured, never reconfigured */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

package io.statelesslb.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The kinds of objects {@code slb get} and {@code slb delete} name, in the singular or the plural. */
enum ObjectKind {
    TARGETS, TRENCHES, CONDUITS, STREAMS, FLOWS, VIPS, ATTRACTORS, GATEWAYS;

    /** @return the plural name the API's paths use, such as {@code vips} */
    String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a kind as people write it: {@code vip}, {@code vips}, {@code trench}, {@code trenches}. */
    static final class Converter implements ITypeConverter<ObjectKind> {
        @Override
        public ObjectKind convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            for (ObjectKind kind : values()) {
                String plural = kind.path();
                String singular = plural.endsWith("ches") ? plural.substring(0, plural.length() - 2)
                        : plural.substring(0, plural.length() - 1);
                if (text.equals(plural) || text.equals(singular)) {
                    return kind;
                }
            }
            throw new TypeConversionException("'" + value + "' (expected one of: " + Arrays.stream(values())
                    .map(ObjectKind::path).collect(Collectors.joining(", ")) + ")");
        }
    }
}

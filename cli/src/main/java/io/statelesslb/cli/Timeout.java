package io.statelesslb.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration as operators write it ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}), for {@code --timeout} and {@code --etcd-timeout}. */
final class Timeout implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value + "' (expected: a duration such as 500ms, 30s, 2m or 1h)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** @return {@code duration} as {@link #convert} reads it back */
    static String text(Duration duration) {
        return duration.toMillis() % 1000 != 0 ? duration.toMillis() + "ms" : duration.toSeconds() + "s";
    }
}

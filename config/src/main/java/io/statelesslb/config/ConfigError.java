package io.statelesslb.config;

/** One problem in a configuration file, located: {@code file:line:column: field: message}. */
public record ConfigError(String file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}

package io.statelesslb.config;

/**
 * One problem in a configuration file, located: {@code file:line:column: field: message}, or {@code file: message}
 * for the file as a whole (line 0: it cannot be read).
 */
public record ConfigError(String file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        return line == 0 ? file + ": " + message : file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}

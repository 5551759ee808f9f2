package io.statelesslb.config;

import java.util.List;

/** A configuration file that cannot be used, with every problem found, each located in the file. */
public class ConfigException extends RuntimeException {

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.size() + " problem(s) in the configuration:\n  " + String.join("\n  ",
                errors.stream().map(ConfigError::toString).toList()));
        this.errors = List.copyOf(errors);
    }

    /** @return every problem, in file order */
    public List<ConfigError> errors() {
        return errors;
    }
}

package io.statelesslb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How {@code slb run} logs: {@code --log-level LEVEL} for everything, {@code --log-level LOGGER=LEVEL} for one
 * logger (a class or a package, such as {@code io.statelesslb.controller=debug}), and {@code --log-format json} for
 * one JSON document per line (logback's own encoder) instead of text.
 */
final class LogSettings {

    /** The log's formats. */
    enum Format { text, json }

    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    private LogSettings() {
    }

    /** @return the problem with {@code levels} in the operator's words, or null when every one is valid */
    static String problem(List<String> levels) {
        for (String setting : levels) {
            String level = setting.contains("=") ? setting.substring(setting.indexOf('=') + 1) : setting;
            String logger = setting.contains("=") ? setting.substring(0, setting.indexOf('=')) : "";
            if (!LEVELS.contains(level.toLowerCase(Locale.ROOT)) || (setting.contains("=") && logger.isBlank())) {
                return "--log-level " + setting + " (expected: LEVEL or LOGGER=LEVEL, LEVEL one of "
                        + String.join(", ", LEVELS) + ", such as debug or io.statelesslb.controller=debug)";
            }
        }
        return null;
    }

    /** Applies {@code levels} (checked with {@link #problem}) and {@code format} to the logging in use. */
    static void apply(List<String> levels, Format format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another backend, configured by its own means
        }
        for (String setting : levels) {
            int equals = setting.indexOf('=');
            Logger logger = context.getLogger(equals < 0 ? Logger.ROOT_LOGGER_NAME : setting.substring(0, equals));
            logger.setLevel(Level.toLevel(setting.substring(equals + 1).toUpperCase(Locale.ROOT)));
        }
        if (format == Format.json) {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            List<ConsoleAppender<ILoggingEvent>> consoles = new ArrayList<>();
            root.iteratorForAppenders().forEachRemaining(appender -> {
                if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
                    consoles.add(console);
                }
            });
            for (ConsoleAppender<ILoggingEvent> console : consoles) {
                // What a log collector reads: when, how bad, where from, and the message as written.
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithContext(false);
                encoder.setWithMessage(false);
                encoder.setWithArguments(false);
                encoder.setWithFormattedMessage(true);
                encoder.start();
                console.stop();
                console.setEncoder(encoder);
                console.start();
            }
        }
    }
}

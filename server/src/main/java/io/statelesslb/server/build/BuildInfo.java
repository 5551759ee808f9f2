package io.statelesslb.server.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build of stateless-lb is: its version, written into the jar when it is built. */
public final class BuildInfo {

    private static final String VERSION = read();

    private BuildInfo() {
    }

    /** @return the version this jar was built as, such as {@code 0.1.0-SNAPSHOT} ("unknown" outside a build) */
    public static String version() {
        return VERSION;
    }

    private static String read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "unknown");
        // Run from an IDE's unfiltered resources, the placeholder is all there is.
        return version.startsWith("${") ? "unknown" : version;
    }
}

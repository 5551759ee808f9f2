package io.statelesslb.cli;

import io.statelesslb.api.client.DaemonClient;
import io.statelesslb.server.DaemonOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options of every command that talks to a running daemon: where it is, its token, the output format. */
final class ClientOptions {

    @Option(names = "--server", paramLabel = "URL", converter = ServerAddress.class, description = "The daemon's"
            + " API: http(s)://HOST:PORT, or HOST:PORT for http (default: $SLB_SERVER, else http://127.0.0.1:"
            + DaemonOptions.DEFAULT_PORT + ").")
    URI server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the daemon's bearer token,"
            + " for changes to a daemon that listens beyond loopback (default: $SLB_TOKEN_FILE).")
    Path tokenFile;

    @Mixin
    Output output;

    DaemonClient client() {
        URI base = server;
        if (base == null) {
            String environment = System.getenv("SLB_SERVER");
            try {
                base = ServerAddress.parse(environment != null ? environment
                        : "127.0.0.1:" + DaemonOptions.DEFAULT_PORT);
            } catch (TypeConversionException e) {
                throw new IllegalArgumentException("$SLB_SERVER=" + e.getMessage());
            }
        }
        Path file = tokenFile != null ? tokenFile
                : System.getenv("SLB_TOKEN_FILE") != null ? Path.of(System.getenv("SLB_TOKEN_FILE")) : null;
        String token = null;
        if (file != null) {
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage());
            }
        }
        return new DaemonClient(base, token);
    }
}

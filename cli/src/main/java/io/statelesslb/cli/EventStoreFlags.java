package io.statelesslb.cli;

import io.statelesslb.eventlog.etcd.EtcdOptions;
import io.statelesslb.server.SharedStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the events are, as {@code slb run} and {@code slb replay} are told: the local log in the data directory, or
 * the etcd stream a trench's instances share (with etcdctl's names for its flags).
 */
final class EventStoreFlags {

    @Option(names = "--event-store", paramLabel = "KIND", defaultValue = "local", description = "local (the log in"
            + " --data-dir, for one machine) or etcd (the trench's stream on an etcd cluster, which every instance of"
            + " the trench folds) (default: ${DEFAULT-VALUE}).")
    String kind = "local";

    @Option(names = "--etcd-endpoints", paramLabel = "URL,...", split = ",", description = "The etcd members' client"
            + " URLs, such as http://10.0.0.1:2379,http://10.0.0.2:2379 (https:// with TLS).")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--etcd-prefix", paramLabel = "PREFIX", defaultValue = "/slb/trench/", description = "The key"
            + " prefix of the trench's stream; the same for every instance of the trench, another for another"
            + " trench (default: ${DEFAULT-VALUE}).")
    String prefix = "/slb/trench/";

    @Option(names = "--instance", paramLabel = "NAME", description = "This instance's name, unique in the trench:"
            + " its observations of its own machine carry it, and it alone folds them (default: the host name).")
    String instance;

    @Option(names = "--etcd-user", paramLabel = "USER", description = "The etcd user, when authentication is on"
            + " (with --etcd-password-file).")
    String user;

    @Option(names = "--etcd-password-file", paramLabel = "FILE", description = "A file holding the etcd user's"
            + " password (one line; never given on the command line, never logged).")
    Path passwordFile;

    @Option(names = "--etcd-cacert", paramLabel = "FILE", description = "The PEM CA certificate the members'"
            + " certificates are checked against.")
    Path caCert;

    @Option(names = "--etcd-cert", paramLabel = "FILE", description = "This client's PEM certificate, for members"
            + " that ask for one (with --etcd-key).")
    Path cert;

    @Option(names = "--etcd-key", paramLabel = "FILE", description = "The PEM private key (PKCS#8) of --etcd-cert.")
    Path key;

    @Option(names = "--etcd-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Timeout.class,
            description = "How long a request to etcd may take before writes are refused as unavailable (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(5);

    /**
     * @return the shared stream the flags name, or null for the local log
     * @throws ParameterException when the flags do not make one
     */
    SharedStream shared(CommandLine commandLine) {
        boolean etcdFlags = !endpoints.isEmpty() || instance != null || user != null || passwordFile != null
                || caCert != null || cert != null || key != null;
        if ("local".equals(kind)) {
            if (etcdFlags) {
                throw new ParameterException(commandLine, "etcd flags with --event-store local (expected:"
                        + " --event-store etcd with them, or none of them)");
            }
            return null;
        }
        if (!"etcd".equals(kind)) {
            throw new ParameterException(commandLine, "--event-store " + kind + " (expected: local or etcd)");
        }
        if (endpoints.isEmpty()) {
            throw new ParameterException(commandLine, "--event-store etcd without --etcd-endpoints (expected: the"
                    + " members' client URLs, such as --etcd-endpoints http://127.0.0.1:2379)");
        }
        try {
            Optional<String> password = Optional.empty();
            if (passwordFile != null) {
                password = Optional.of(Files.readAllLines(passwordFile).stream().findFirst().orElse("").strip());
            }
            EtcdOptions etcd = new EtcdOptions(endpoints.stream().map(String::strip).map(URI::create).toList(),
                    prefix, Optional.ofNullable(user), password, Optional.ofNullable(caCert),
                    Optional.ofNullable(cert), Optional.ofNullable(key), timeout);
            return new SharedStream(etcd, instance != null ? instance : InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            throw new ParameterException(commandLine, "--etcd-password-file " + passwordFile + " cannot be read ("
                    + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }
}

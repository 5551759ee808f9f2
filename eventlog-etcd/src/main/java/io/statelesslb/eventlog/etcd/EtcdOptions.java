package io.statelesslb.eventlog.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to reach the etcd cluster that holds a trench's event stream, as etcd's own clients are told.
 *
 * @param endpoints    the members' client URLs ({@code http://10.0.0.1:2379}, {@code https://…} with TLS)
 * @param prefix       the key prefix of the trench's stream ({@code /slb/trench-a/}); every instance of the trench
 *                     uses the same one
 * @param user         the etcd user, when authentication is on
 * @param password     its password (never logged)
 * @param caCert       the CA that signed the members' certificates (PEM)
 * @param cert         this client's certificate, for members that ask for one (PEM)
 * @param key          its private key (PKCS#8 PEM)
 * @param timeout      how long one request may take before the store is said to be unavailable
 */
public record EtcdOptions(List<URI> endpoints, String prefix, Optional<String> user, Optional<String> password,
                          Optional<Path> caCert, Optional<Path> cert, Optional<Path> key, Duration timeout) {

    /** 5 s: an election takes about a second on a healthy cluster; longer means no quorum. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public EtcdOptions {
        endpoints = List.copyOf(endpoints);
        List<String> problems = problems(endpoints, prefix, user, password, cert, key, timeout);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Plain HTTP to {@code endpoints}, no authentication. */
    public static EtcdOptions of(List<URI> endpoints, String prefix) {
        return new EtcdOptions(endpoints, prefix, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);
    }

    private static List<String> problems(List<URI> endpoints, String prefix, Optional<String> user,
                                         Optional<String> password, Optional<Path> cert, Optional<Path> key,
                                         Duration timeout) {
        List<String> problems = new ArrayList<>();
        if (endpoints.isEmpty()) {
            problems.add("no etcd endpoint (expected: at least one URL, as http://127.0.0.1:2379)");
        }
        for (URI endpoint : endpoints) {
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                    || endpoint.getHost() == null || endpoint.getPort() < 1) {
                problems.add("etcd endpoint " + endpoint + " (expected: http://HOST:PORT or https://HOST:PORT)");
            }
        }
        if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3) {
            problems.add("etcd key prefix " + prefix + " (expected: a path that starts and ends with /, as"
                    + " /slb/trench-a/)");
        }
        if (user.isPresent() != password.isPresent()) {
            problems.add("an etcd user needs a password and a password a user (expected: both, or neither)");
        }
        if (cert.isPresent() != key.isPresent()) {
            problems.add("an etcd client certificate needs its key and a key its certificate (expected: both, or"
                    + " neither)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("etcd timeout " + timeout + " (expected: more than 0)");
        }
        return problems;
    }

    /** @return whether the members are reached over TLS */
    public boolean tls() {
        return caCert.isPresent() || cert.isPresent() || endpoints.stream().anyMatch(e -> "https".equals(
                e.getScheme()));
    }
}

package io.statelesslb.server.http;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What keeps a web page out of the API, even on loopback where no token is asked for: a page's script can send a
 * request to any address it likes, and with DNS rebinding under a name of its own. So every request must name the
 * daemon as it listens in {@code Host} (an address of the listener, or {@code localhost} on loopback; a rebinding
 * page sends its own name); a request that carries an {@code Origin} must come from the daemon's own; and a write
 * with a body must say it is JSON (or YAML for a configuration), which a form or a "simple" cross-site request
 * cannot.
 */
final class SameOrigin {

    /** The content types a browser sends cross-site without asking first: never ours. */
    private static final Set<String> BODY_TYPES = Set.of("application/json", "application/yaml",
            "application/x-yaml", "text/yaml");

    private final String listenHost;
    private final int port;
    private final boolean loopback;
    private final boolean wildcard;

    SameOrigin(String listenHost, int port) {
        this.listenHost = listenHost.toLowerCase(Locale.ROOT);
        this.port = port;
        boolean loop;
        boolean any;
        try {
            InetAddress address = InetAddress.getByName(listenHost);
            loop = address.isLoopbackAddress();
            any = address.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            loop = false;
            any = false;
        }
        this.loopback = loop;
        this.wildcard = any;
    }

    /**
     * @param host        the request's {@code Host}
     * @param origin      its {@code Origin}, or null
     * @param write       whether it changes something
     * @param contentType its {@code Content-Type}, or null
     * @param hasBody     whether it carries a body
     * @return why it is refused (403 or 415), or nothing
     */
    Optional<ApiException> refusal(String host, String origin, boolean write, String contentType, boolean hasBody) {
        if (host == null || !ownHost(host)) {
            return Optional.of(ApiException.of(403, "forbidden", "Host", "Host " + (host == null ? "(none)" : host)
                    + " does not name this daemon (expected: " + expectedHost() + ")"));
        }
        if (origin != null && !origin.equalsIgnoreCase("http://" + host) && !origin.equalsIgnoreCase("https://"
                + host)) {
            return Optional.of(ApiException.of(403, "forbidden", "Origin", "a request from " + origin + " (a web"
                    + " page elsewhere) is refused (expected: no Origin, or this daemon's own)"));
        }
        if (write && hasBody) {
            String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!BODY_TYPES.contains(type)) {
                return Optional.of(ApiException.of(415, "unsupported_media_type", "Content-Type", "Content-Type "
                        + (type.isEmpty() ? "(none)" : type) + " (expected: application/json, or application/yaml"
                        + " for a configuration)"));
            }
        }
        return Optional.empty();
    }

    private boolean ownHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        int hostPort = 80;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf(']')) {
            try {
                hostPort = Integer.parseInt(name.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            name = name.substring(0, colon);
        }
        if (hostPort != port) {
            return false;
        }
        String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (bare.equals(listenHost) || loopback && bare.equals("localhost")) {
            return true;
        }
        // An address literal names a machine, never a page's domain; on a wildcard listener any of ours is fine.
        boolean literal = bare.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                || bare.contains(":") && bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':'
                || c == '.');
        if (!literal) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(bare);
            return wildcard || address.equals(InetAddress.getByName(listenHost))
                    || loopback && address.isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private String expectedHost() {
        return (listenHost.contains(":") ? "[" + listenHost + "]" : listenHost) + ":" + port
                + (loopback ? " or localhost:" + port : "");
    }
}

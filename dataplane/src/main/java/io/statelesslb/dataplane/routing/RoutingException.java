package io.statelesslb.dataplane.routing;

/** The routing daemon refused a configuration or could not be reached; the message is the daemon's own. */
public final class RoutingException extends RuntimeException {

    public RoutingException(String message) {
        super(message);
    }

    public RoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}

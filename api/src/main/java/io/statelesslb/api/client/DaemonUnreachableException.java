package io.statelesslb.api.client;

import java.net.URI;

/** No daemon answered at the address. */
public final class DaemonUnreachableException extends RuntimeException {

    public DaemonUnreachableException(URI server) {
        super("cannot reach the daemon at " + server + " (is `slb run` running there? set --server or SLB_SERVER)");
    }

    public DaemonUnreachableException(URI server, Exception cause) {
        super("lost the daemon at " + server + ": " + cause, cause);
    }
}

package io.statelesslb.server;

import io.statelesslb.eventlog.etcd.EtcdOptions;
import java.util.regex.Pattern;

/**
 * The event stream several instances of a trench share on etcd, and the name of this instance in it.
 *
 * @param etcd     where the stream is
 * @param instance this instance's name, unique in the trench: its own observations (interfaces, neighbours,
 *                 gateway sessions) carry it, and it alone folds them
 */
public record SharedStream(EtcdOptions etcd, String instance) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public SharedStream {
        if (instance == null || !NAME.matcher(instance).matches()) {
            throw new IllegalArgumentException("instance name " + instance + " (expected: 1 to 63 letters, digits,"
                    + " dots, dashes or underscores, starting with a letter or digit, unique in the trench)");
        }
    }
}

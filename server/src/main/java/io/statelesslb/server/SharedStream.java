package io.statelesslb.server;

import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.eventlog.etcd.EtcdOptions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event stream several instances of a trench share on etcd, the name of this instance in it, and where it joins
 * the trench's LB tier.
 *
 * @param etcd     where the stream is
 * @param instance this instance's name, unique in the trench: its own observations (interfaces, neighbours,
 *                 gateway sessions) carry it, and it alone folds them
 * @param tier     how this instance joins the LB tier (its address and interface), none when it stays out of it
 */
public record SharedStream(EtcdOptions etcd, String instance, Optional<JoinTier> tier) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public SharedStream {
        if (instance == null || !NAME.matcher(instance).matches()) {
            throw new IllegalArgumentException("instance name " + instance + " (expected: 1 to 63 letters, digits,"
                    + " dots, dashes or underscores, starting with a letter or digit, unique in the trench)");
        }
        if (tier.isPresent() && !tier.get().name().equals(instance)) {
            throw new IllegalArgumentException("the LB tier is joined as " + tier.get().name() + " (expected: as this"
                    + " instance, " + instance + ")");
        }
    }

    /** An instance outside the LB tier. */
    public SharedStream(EtcdOptions etcd, String instance) {
        this(etcd, instance, Optional.empty());
    }

    /** @return this stream, with the instance joining the LB tier at {@code address} by way of {@code interfaceName} */
    public SharedStream withTier(String address, String interfaceName) {
        return new SharedStream(etcd, instance, Optional.of(new JoinTier(instance, address, interfaceName)));
    }
}

package io.statelesslb.dataplane;

/**
 * How stateless-lb marks the kernel objects it owns, so that it finds exactly its own and never touches anyone
 * else's: routes carry {@link #PROTOCOL} as their {@code rtm_protocol} and policy rules as their
 * {@code FRA_PROTOCOL} (as BIRD marks its own with {@code proto bird}); the nf_tables tables are known by name.
 * {@code ip route} and {@code ip rule} print the tag as {@code proto 115}; a line {@code 115 slb} in
 * {@code /etc/iproute2/rt_protos.d/slb.conf} makes them print {@code proto slb}.
 */
public final class OwnTag {

    /** The routing protocol number of stateless-lb's routes and rules: free in iproute2's {@code rt_protos}. */
    public static final int PROTOCOL = 115;

    private OwnTag() {
    }
}

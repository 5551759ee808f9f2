package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import java.util.Comparator;

/**
 * How packets marked for one target reach it in one family: the rule {@code fwmark → table} at
 * {@code rulePriority}, and the table's default route via the target's IP on a conduit interface.
 * <pre>
 *   ip rule add pref 97 fwmark 0x13b4 lookup 5044
 *   ip route add default via 172.16.1.6 dev conduit-a--f75b table 5044
 * </pre>
 */
public record TargetPath(Family family, int fwmark, int table, int rulePriority, IpAddress via, String device)
        implements Comparable<TargetPath> {

    private static final Comparator<TargetPath> ORDER = Comparator.comparing(TargetPath::family)
            .thenComparingInt(TargetPath::fwmark)
            .thenComparingInt(TargetPath::table)
            .thenComparingInt(TargetPath::rulePriority)
            .thenComparing(TargetPath::via)
            .thenComparing(TargetPath::device);

    @Override
    public int compareTo(TargetPath other) {
        return ORDER.compare(this, other);
    }
}

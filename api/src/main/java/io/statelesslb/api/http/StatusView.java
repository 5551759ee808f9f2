package io.statelesslb.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Where the daemon is: its backend, the last event, the last one the dataplane has caught up with, readiness (and
 * why not), commands queued, watchers connected, the last apply in words, the daemon's version, where the events
 * are, and, in a trench of several instances, which one this is and the instances of its LB tier (none: null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusView(String backend, long sequence, long appliedSequence, boolean ready, String notReady,
                         int queued, int watchers, String lastApply, String version, String events,
                         String instance, List<TierMemberView> tier) {
}

package io.statelesslb.daemon.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.statelesslb.daemon.pipeline.Pipeline;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.List;
import java.util.Optional;

/**
 * A target as the API shows it: what was registered, the fwmark and rule priority it was given, and whether the
 * dataplane sends it traffic ({@code active}), holds it back ({@code disabled}), or cannot yet
 * ({@code pending}, with the reason).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetView(String stream, int identifier, List<String> ips, boolean enabled, int fwmark,
                         int rulePriority, String status, String reason) {

    /**
     * @param applied   what the dataplane has now
     * @param upToDate  whether the dataplane has caught up with the state
     * @param lastApply the last reconciliation, to tell a failing apply from a missing interface
     */
    public static TargetView of(State state, Target target, DataplaneSpec applied, boolean upToDate,
                                Optional<Pipeline.Report> lastApply) {
        int fwmark = target.identifier() + state.fwmarkOffsets().get(target.stream()).getOrElse(0);
        boolean active = applied.streams().get(target.stream())
                .exists(stream -> stream.slots().get(target.identifier() - 1).contains(fwmark));
        String status;
        String reason = null;
        if (active) {
            status = target.enabled() ? "active" : "disabling";
        } else if (!target.enabled()) {
            status = "disabled";
        } else {
            status = "pending";
            if (lastApply.isPresent() && !lastApply.get().applied()) {
                reason = "the dataplane refuses an operation: " + lastApply.get().result();
            } else if (!upToDate) {
                reason = "being applied";
            } else {
                String conduit = state.streams().get(target.stream()).map(s -> s.conduit()).getOrElse("?");
                reason = "no interface of conduit " + conduit + " that is up has a subnet holding "
                        + target.ips().mkString(" or ");
            }
        }
        return new TargetView(target.stream(), target.identifier(), target.ips().map(Object::toString).toJavaList(),
                target.enabled(), fwmark, target.rulePriority(), status, reason);
    }
}

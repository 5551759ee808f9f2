package io.statelesslb.engine;

import io.statelesslb.engine.flow.FlowClassifier;
import java.util.List;

/**
 * Why a packet got its decision, step by step: the key (return code and bytes), every flow tried in priority
 * order with the criterion it failed, the hash, the slot and the fwmark. Built by {@link LoadBalancer#explain},
 * off the packet path.
 */
public record DecisionTrace(
        int keyResult,
        String key,
        List<FlowClassifier.FlowAttempt> flowsTried,
        String flow,
        long hash,
        int slot,
        int fwmark,
        Verdict verdict,
        DecisionReason reason) {

    /** @return the trace as lines for people */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("key: rc=").append(keyResult).append(keyResult >= 0 ? " " + key : " (rejected: truncated, corrupt"
                + " or unsupported)").append('\n');
        for (FlowClassifier.FlowAttempt attempt : flowsTried) {
            out.append("flow ").append(attempt.flow()).append(" (priority ").append(attempt.priority()).append("): ")
                    .append(attempt.mismatch().explanation()).append('\n');
        }
        if (flow != null) {
            out.append("hash: ").append(hash).append(" -> slot ").append(slot).append('\n');
        }
        out.append("decision: ").append(verdict).append(fwmark != 0 ? " fwmark " + fwmark : "").append(" (")
                .append(reason).append(")\n");
        return out.toString();
    }
}

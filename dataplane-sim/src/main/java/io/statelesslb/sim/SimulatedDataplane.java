package io.statelesslb.sim;

import io.statelesslb.domain.dataplane.ApplyResult;
import io.statelesslb.domain.dataplane.Dataplane;
import io.statelesslb.domain.diff.Apply;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.vavr.control.Either;
import java.util.List;

/**
 * A simulated Linux dataplane: it holds the nft sets, Maglev tables, rules and routes as a model and applies
 * operations with the kernel's refusals (adding what exists, removing what is absent) and the safety rules
 * (no active slot without a path). Deterministic, needs no privileges; CI runs the whole pipeline on it.
 */
public final class SimulatedDataplane implements Dataplane {

    private DataplaneSpec applied = DataplaneSpec.empty();

    @Override
    public synchronized DataplaneSpec applied() {
        return applied;
    }

    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            Either<String, DataplaneSpec> next = Apply.apply(applied, ops.get(i));
            if (next.isLeft()) {
                return new ApplyResult.Failed(i, ops.get(i), next.getLeft());
            }
            applied = next.get();
        }
        return new ApplyResult.Applied(ops.size());
    }
}

package io.statelesslb.domain.diff;

import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.vavr.control.Either;

/** What the ops' effects share: finding a stream's plan, and putting one back. */
final class Effects {

    private Effects() {
    }

    static Either<String, StreamPlan> stream(DataplaneSpec spec, String name) {
        return spec.streams().get(name).toEither(() -> "stream " + name + " has no Maglev table");
    }

    /** @return whether any stream has a path of {@code path}'s family and fwmark (the kernel's rule would clash) */
    static boolean anyPath(DataplaneSpec spec, TargetPath path) {
        return spec.streams().values().exists(plan -> plan.paths().exists(
                held -> held.family() == path.family() && held.fwmark() == path.fwmark()));
    }

    static DataplaneSpec put(DataplaneSpec spec, StreamPlan plan) {
        return spec.withStreams(spec.streams().put(plan.stream(), plan));
    }
}

package io.statelesslb.engine.flow;

import java.util.List;

/** The golden flow definitions, for tests outside this package. */
public final class FlowGoldenTestFlows {

    private FlowGoldenTestFlows() {
    }

    /** @return the six flows of golden/README.md, in definition order */
    public static List<FlowRule> all() {
        return FlowGoldenTest.goldenFlows();
    }
}

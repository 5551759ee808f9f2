package io.statelesslb.cli;

import io.statelesslb.api.http.RecordedView;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How commands that change something print what the daemon recorded. */
final class Mutation {

    private Mutation() {
    }

    /** @return the exit code: 0, or 1 when the caller waited and the dataplane did not catch up in time */
    static int print(CommandSpec spec, ClientOptions client, RecordedView recorded, String what) {
        PrintWriter out = spec.commandLine().getOut();
        client.output.print(out, recorded, table -> table.println(what + (recorded.changedNothing()
                ? ": unchanged (the daemon already had it at event #" + recorded.sequence() + "; nothing recorded)"
                : " (event #" + recorded.sequence() + ")")
                + (recorded.applied() == null ? "" : recorded.applied() ? "; applied"
                        : "; not applied yet (see slb targets)")));
        return recorded.applied() == null || recorded.applied() ? 0 : SlbCommand.FAILURE;
    }
}

package io.statelesslb.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** How commands that submit an event print what the daemon recorded. */
final class Mutation {

    private Mutation() {
    }

    /** @return the exit code: 0, or 1 when the caller waited and the dataplane did not catch up in time */
    static int print(CommandSpec spec, ClientOptions client, JsonNode recorded, String what) {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode applied = recorded.path("applied");
        if (client.json()) {
            out.println(recorded.toString());
        } else {
            out.println(what + " (event #" + recorded.path("sequence").asLong() + ")"
                    + (applied.isMissingNode() ? "" : applied.asBoolean() ? "; applied"
                            : "; not applied yet (see slb targets)"));
        }
        out.flush();
        return applied.isMissingNode() || applied.asBoolean() ? 0 : SlbCommand.FAILURE;
    }
}

package io.statelesslb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.statelesslb.api.codec.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slb flow-list}: the flows in the dataplane, as {@code nfqlb flow-list} prints them. */
@Command(
        name = "flow-list",
        mixinStandardHelpOptions = true,
        header = "Print the flows as nfqlb flow-list does.",
        description = {"Print the flows the dataplane classifies by, exactly as nfqlb flow-list prints them (JSON:"
                + " name, priority, protocols, prefixes v4-mapped, ports, byte matches)."},
        footer = {"", "Example:", "  slb flow-list"})
final class FlowListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws JsonProcessingException {
        String flows = client.client().flowList();
        // nfqlb's own format is JSON already: the table is that text, the other formats its document.
        client.output.print(spec.commandLine().getOut(), Json.mapper().readTree(flows), table -> table.print(flows));
        return 0;
    }
}

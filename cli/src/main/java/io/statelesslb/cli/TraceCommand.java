package io.statelesslb.cli;

import io.statelesslb.api.http.TraceRequest;
import io.statelesslb.api.http.TraceView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slb trace}: where one packet goes, step by step. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        header = "Follow one packet through the dataplane.",
        description = {"Follow one packet through the dataplane: the nft rule that queues it, its flow, stream,"
                + " Maglev slot and fwmark, the ip rule, table, route and device, or the exact reason it is"
                + " dropped. Give a 5-tuple (a first packet is built: TCP SYN, UDP, SCTP, ICMP echo) or the"
                + " packet's bytes."},
        footer = {"", "Examples:",
                "  slb trace --protocol tcp --source 10.1.1.1 --sport 40000 --destination 20.0.0.1 --dport 4000",
                "  slb trace --packet 4500003c...      # hex, from the IP header on"})
final class TraceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--protocol", paramLabel = "P", description = "tcp, udp, sctp, icmp or icmpv6.")
    String protocol;

    @Option(names = "--source", paramLabel = "IP", description = "Source address.")
    String source;

    @Option(names = "--sport", paramLabel = "PORT", description = "Source port (for ICMP: the echo identifier).")
    Integer sourcePort;

    @Option(names = "--destination", paramLabel = "IP", description = "Destination address (a VIP).")
    String destination;

    @Option(names = "--dport", paramLabel = "PORT", description = "Destination port.")
    Integer destinationPort;

    @Option(names = "--packet", paramLabel = "HEX", description = "The packet's bytes instead of a 5-tuple.")
    String packet;

    @Option(names = "--ingress", paramLabel = "IFACE", description = "The interface it arrives on, or local (default:"
            + " " + TraceRequest.DEFAULT_INGRESS + ").")
    String ingress;

    @Override
    public Integer call() {
        TraceView trace = client.client().trace(new TraceRequest(packet, protocol, source, sourcePort, destination,
                destinationPort, ingress));
        client.output.print(spec.commandLine().getOut(), trace, out -> out.print(trace.text()));
        return 0;
    }
}

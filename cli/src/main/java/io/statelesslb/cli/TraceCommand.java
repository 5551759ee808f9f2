package io.statelesslb.cli;

import io.statelesslb.api.http.TraceRequest;
import io.statelesslb.api.http.TraceView;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slb trace}: where one packet goes, step by step. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        header = "Follow one packet through the dataplane, or the real packets live.",
        description = {"Follow one packet through the dataplane: the nft rule that queues it, its flow, stream,"
                + " Maglev slot and fwmark, the ip rule, table, route and device, or the exact reason it is"
                + " dropped. Give a 5-tuple (a first packet is built: TCP SYN, UDP, SCTP, ICMP echo) or the"
                + " packet's bytes.",
                "",
                "With --follow, print the real packets the load balancer decides as they come (on the kernel, those"
                        + " its NFQUEUE workers take; on the simulator, those injected or traced): queue, ingress,"
                        + " the packet, its flow, hash, Maglev slot, target and fwmark, or why it was dropped."
                        + " Rate-bounded; nothing is traced while no one follows."},
        footer = {"", "Examples:",
                "  slb trace --protocol tcp --source 10.1.1.1 --sport 40000 --destination 20.0.0.1 --dport 4000",
                "  slb trace --packet 4500003c...      # hex, from the IP header on",
                "  slb trace --follow --flow tshm-stream1 --count 20"})
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

    @Option(names = "--ingress", paramLabel = "IFACE", description = "The interface it arrives on, or local for a"
            + " packet the load balancer's host sends (default: where a client's packets arrive, the interface of"
            + " the gateways' routes).")
    String ingress;

    @Option(names = "--follow", description = "Print the real packets decided, live, until interrupted (or --count).")
    boolean follow;

    @Option(names = "--flow", paramLabel = "NAME", description = "With --follow: only the packets of this flow"
            + " (default: every packet, those of no flow included).")
    String flow;

    @Option(names = "--count", paramLabel = "N", description = "With --follow: stop after N packets (default: no"
            + " end).")
    Integer count;

    @Option(names = "--rate", paramLabel = "R", description = "With --follow: at most R packets per second, 1 to "
            + LiveTraceRequest.MAX_PER_SECOND + " (default: " + LiveTraceRequest.DEFAULT_PER_SECOND + ").")
    Integer rate;

    @Override
    public Integer call() {
        if (follow) {
            return follow();
        }
        if (flow != null || count != null || rate != null) {
            throw new ParameterException(spec.commandLine(), "--flow, --count and --rate go with --follow");
        }
        TraceView trace = client.client().trace(new TraceRequest(packet, protocol, source, sourcePort, destination,
                destinationPort, ingress));
        client.output.print(spec.commandLine().getOut(), trace, out -> out.print(trace.text()));
        return 0;
    }

    private int follow() {
        if (packet != null || protocol != null || source != null || sourcePort != null || destination != null
                || destinationPort != null || ingress != null) {
            throw new ParameterException(spec.commandLine(), "--follow traces the real packets: it takes --flow,"
                    + " --count and --rate, not a packet or a 5-tuple");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count " + count + " (expected: at least 1)");
        }
        if (rate != null && (rate < 1 || rate > LiveTraceRequest.MAX_PER_SECOND)) {
            throw new ParameterException(spec.commandLine(), "--rate " + rate + " (expected: 1 to "
                    + LiveTraceRequest.MAX_PER_SECOND + " packets per second)");
        }
        PrintWriter out = spec.commandLine().getOut();
        client.client().followTraces(flow, count == null ? 0 : count, rate, trace -> {
            client.output.print(out, trace, table -> table.println(trace.text()));
            return true;
        });
        return 0;
    }
}

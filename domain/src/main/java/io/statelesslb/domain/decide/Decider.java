package io.statelesslb.domain.decide;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteAttractor;
import io.statelesslb.domain.command.DeleteConduit;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteGateway;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteTrench;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
import io.statelesslb.domain.command.RecordApplyFailure;
import io.statelesslb.domain.command.RecordApplyRecovery;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.ReportNeighbourReachable;
import io.statelesslb.domain.command.ReportRoutingDaemonRestart;
import io.statelesslb.domain.command.TargetCommand;
import io.statelesslb.domain.command.UnregisterTarget;
import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.AttractorDeleted;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.ConduitDeleted;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.FlowDeleted;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.GatewayDeleted;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InstanceJoined;
import io.statelesslb.domain.event.InstanceLeft;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.RoutingDaemonRestarted;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.StreamDeleted;
import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.TrenchDeleted;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.event.VipDeleted;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Instance;
import io.statelesslb.domain.model.PortNat;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.RulePriorities;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.state.TargetAddress;
import io.vavr.collection.List;
import io.vavr.collection.Seq;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code decide(state, command)}: where the rules live. A command is checked once, against the state it would
 * change, and either becomes an event holding parsed values or is rejected with every problem found, each naming
 * its field, the value and what was expected. Pure: the same state and command always give the same decision.
 */
public final class Decider implements Command.Visitor<Decision> {

    /** The longest queue the kernel is asked to keep: nfqlb's default is 1024. */
    private static final int MAX_QUEUE_LENGTH = 1 << 20;
    /** fwmarks are 32 bits. */
    private static final long MAX_FWMARK = 0xFFFF_FFFFL;

    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private final State state;

    private Decider(State state) {
        this.state = state;
    }

    /**
     * @param state   the state the command would change
     * @param command what a source asks for
     * @return the event to record, or the rejection with every problem
     */
    public static Decision decide(State state, Command command) {
        return command.accept(new Decider(state));
    }

    // Configuration: the trench and the objects in it.

    @Override
    public Decision defineTrench(DefineTrench command) {
        Problems problems = new Problems();
        problems.name("name", command.name());
        state.trench().filter(held -> !held.name().equals(command.name())).forEach(held -> problems.add(
                ProblemKind.CONFLICT, "name", "name=" + command.name() + " (expected: " + held.name()
                        + "; this daemon serves trench " + held.name() + ")"));
        return problems.decision(() -> new TrenchDefined(command.name()));
    }

    @Override
    public Decision configureLoadBalancer(ConfigureLoadBalancer command) {
        Problems problems = new Problems();
        requireTrench(problems);
        Option<int[]> queues = problems.parse("queues", command.queues(), Decider::queues);
        problems.range("queueLength", command.queueLength(), 1, MAX_QUEUE_LENGTH, " packets");
        problems.range("noLbFwmark", command.noLbFwmark(), 0, MAX_FWMARK, "; 0 drops");
        problems.range("noTargetsFwmark", command.noTargetsFwmark(), 0, MAX_FWMARK, "; 0 drops");
        problems.range("sctpUdpEncapsulationPort", command.sctpUdpEncapsulationPort(), 0, 65535, "; 0 for none");
        return problems.decision(() -> new LoadBalancerConfigured(queues.get()[0], queues.get()[1],
                command.queueLength(), command.queueBypass(), command.failOpen(), command.promiscuousPing(),
                command.noLbFwmark(), command.noTargetsFwmark(), command.sctpUdpEncapsulationPort(),
                command.queueFanout()));
    }

    /** @return the first queue and how many, from {@code FIRST:LAST} or a single queue number */
    private static Either<String, int[]> queues(String text) {
        String[] parts = text.strip().split(":", -1);
        try {
            int first = Integer.parseInt(parts[0].strip());
            int last = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : first;
            if (parts.length <= 2 && first >= 0 && first <= last && last <= 65535) {
                return Either.right(new int[] {first, last - first + 1});
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return Either.left("queues=" + text + " (expected: FIRST:LAST within 0..65535, such as 0:3, or one queue)");
    }

    @Override
    public Decision deleteTrench(DeleteTrench command) {
        Problems problems = new Problems();
        if (!state.trench().exists(held -> held.name().equals(command.name()))) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "name", "trench=" + command.name() + " (expected: "
                    + state.trench().map(Trench::name).getOrElse("no trench, none is defined") + ")");
        }
        stillUsed(problems, "trench=" + command.name(), "conduits", state.conduits().keySet());
        stillUsed(problems, "trench=" + command.name(), "VIPs", state.vips().keySet());
        stillUsed(problems, "trench=" + command.name(), "gateways", state.gateways().keySet());
        return problems.decision(() -> new TrenchDeleted(command.name()));
    }

    @Override
    public Decision defineConduit(DefineConduit command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        String prefix = command.interfacePrefix() == null || command.interfacePrefix().isEmpty()
                ? command.name() + "-" : command.interfacePrefix();
        problems.interfaceName("interfacePrefix", prefix);
        List<PortNat> nats = portNats(problems, command.destinationPortNats());
        return problems.decision(() -> new ConduitDefined(command.name(), prefix, nats.toJavaList()));
    }

    /**
     * @return the conduit's port translations, each checked: a protocol with ports, ports 1..65535, defined VIPs,
     *         and no VIP, protocol and port translated twice
     */
    private List<PortNat> portNats(Problems problems, java.util.List<DefineConduit.DestinationPortNat> requested) {
        List<PortNat> nats = List.empty();
        java.util.Set<String> translated = new java.util.HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            DefineConduit.DestinationPortNat nat = requested.get(i);
            String field = "destinationPortNats[" + i + "]";
            Option<Protocol> protocol = problems.parse(field + ".protocol", nat.protocol(), Protocol::parse);
            boolean ports = port(problems, field + ".port", nat.port()) & port(problems, field + ".targetPort",
                    nat.targetPort());
            if (nat.vips().isEmpty()) {
                problems.add(ProblemKind.MISSING, field + ".vips", field + ".vips is required (expected: the"
                        + " defined VIPs whose port is translated)");
            }
            for (int v = 0; v < nat.vips().size(); v++) {
                known(problems, field + ".vips[" + v + "]", "vip", nat.vips().get(v), state.vips());
                if (protocol.isDefined() && ports && !translated.add(nat.vips().get(v) + " " + protocol.get().label()
                        + " " + nat.port())) {
                    problems.add(ProblemKind.INCONSISTENT, field, "vip=" + nat.vips().get(v) + " "
                            + protocol.get().label() + " port " + nat.port() + " is translated twice (expected: one"
                            + " target port for each VIP, protocol and port)");
                }
            }
            if (protocol.isDefined() && ports) {
                nats = nats.append(new PortNat(protocol.get(), nat.port(), nat.targetPort(), nat.vips()));
            }
        }
        return nats;
    }

    private static boolean port(Problems problems, String field, Integer port) {
        if (port == null) {
            problems.add(ProblemKind.MISSING, field, field + " is required (expected: a port 1..65535)");
            return false;
        }
        problems.range(field, port, 1, 65535, "");
        return port >= 1 && port <= 65535;
    }

    @Override
    public Decision deleteConduit(DeleteConduit command) {
        Problems problems = new Problems();
        known(problems, "name", "conduit", command.name(), state.conduits());
        stillUsed(problems, "conduit=" + command.name(), "streams",
                state.streams().values().filter(s -> s.conduit().equals(command.name())).map(Stream::name));
        return problems.decision(() -> new ConduitDeleted(command.name()));
    }

    @Override
    public Decision defineStream(DefineStream command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        if (command.conduit() == null || command.conduit().isEmpty()) {
            problems.add(ProblemKind.MISSING, "conduit", "conduit is required (expected: a defined conduit)");
        } else {
            known(problems, "conduit", "conduit", command.conduit(), state.conduits());
        }
        problems.range("maxTargets", command.maxTargets(), 1, Stream.MAX_TARGETS, "");
        Option<Stream> held = command.name() == null ? Option.none() : state.streams().get(command.name());
        int registered = state.targetsOf(command.name()).size();
        if (held.isDefined() && held.get().maxTargets() != command.maxTargets() && registered > 0) {
            problems.add(ProblemKind.IMMUTABLE, "maxTargets", "maxTargets=" + command.maxTargets() + " (expected: "
                    + held.get().maxTargets() + " while stream " + command.name() + " has " + registered
                    + " registered targets; unregister them first)");
        }
        return problems.decision(() -> new StreamDefined(command.name(), command.conduit(), command.maxTargets()));
    }

    @Override
    public Decision deleteStream(DeleteStream command) {
        Problems problems = new Problems();
        known(problems, "name", "stream", command.name(), state.streams());
        stillUsed(problems, "stream=" + command.name(), "flows",
                state.flows().values().filter(f -> f.stream().equals(command.name())).map(Flow::name));
        stillUsed(problems, "stream=" + command.name(), "registered targets",
                state.targetsOf(command.name()).keySet().map(String::valueOf));
        return problems.decision(() -> new StreamDeleted(command.name()));
    }

    @Override
    public Decision defineFlow(DefineFlow command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        if (command.stream() == null || command.stream().isEmpty()) {
            problems.add(ProblemKind.MISSING, "stream", "stream is required (expected: a defined stream)");
        } else {
            known(problems, "stream", "stream", command.stream(), state.streams());
        }
        SortedSet<Protocol> protocols = problems.parseSet("protocols", command.protocols(), Protocol::parse);
        // A subnet is its network: 10.1.2.3/8 and 10.0.0.0/8 are the same source subnet.
        SortedSet<Cidr> sources = problems.parseSet("sourceSubnets", command.sourceSubnets(), Cidr::parse)
                .map(Cidr::network);
        SortedSet<PortRange> sourcePorts = problems.parseSet("sourcePorts", command.sourcePorts(), PortRange::parse);
        SortedSet<PortRange> destinationPorts =
                problems.parseSet("destinationPorts", command.destinationPorts(), PortRange::parse);
        for (int i = 0; i < command.vips().size(); i++) {
            known(problems, "vips[" + i + "]", "vip", command.vips().get(i), state.vips());
        }
        var byteMatches = problems.parseEach("byteMatches", command.byteMatches(), ByteMatch::parse);
        // nfqlb's limits, so that every flow we accept means the same to an nfqlb instance beside us.
        for (PortRange range : sourcePorts.addAll(destinationPorts)) {
            if (range.first() == 0) {
                problems.add(ProblemKind.OUT_OF_RANGE, sourcePorts.contains(range) ? "sourcePorts"
                        : "destinationPorts", "ports=" + range + " (expected: ports 1..65535; leave the list empty"
                        + " for any port)");
            }
        }
        if (sources.size() > Flow.MAX_PREFIXES || command.vips().size() > Flow.MAX_PREFIXES) {
            problems.add(ProblemKind.OUT_OF_RANGE, sources.size() > Flow.MAX_PREFIXES ? "sourceSubnets" : "vips",
                    "sourceSubnets=" + sources.size() + ", vips=" + command.vips().size() + " (expected: at most "
                            + Flow.MAX_PREFIXES + " each)");
        }
        if (command.protocols().isEmpty() && !(command.sourcePorts().isEmpty()
                && command.destinationPorts().isEmpty())) {
            problems.add(ProblemKind.INCONSISTENT, "protocols", "protocols=[] with port ranges (expected: tcp, udp"
                    + " or sctp listed when sourcePorts or destinationPorts are given; ports mean nothing to other"
                    + " protocols)");
        }
        return problems.decision(() -> new FlowDefined(command.name(), command.stream(), command.priority(),
                protocols.toJavaList(), sources.toJavaList(), sourcePorts.toJavaList(), destinationPorts.toJavaList(),
                command.vips(), byteMatches.toJavaList()));
    }

    @Override
    public Decision deleteFlow(DeleteFlow command) {
        Problems problems = new Problems();
        known(problems, "name", "flow", command.name(), state.flows());
        return problems.decision(() -> new FlowDeleted(command.name()));
    }

    @Override
    public Decision defineVip(DefineVip command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        Option<Cidr> address = problems.parse("address", command.address(), Cidr::parse);
        address.filter(cidr -> !cidr.equals(cidr.network())).forEach(cidr -> problems.add(ProblemKind.MALFORMED,
                "address", "address=" + cidr + " (expected: a prefix without host bits, such as " + cidr.network()
                        + ")"));
        address.forEach(cidr -> state.vips().values()
                .filter(other -> !other.name().equals(command.name()) && overlap(other.address(), cidr))
                .forEach(other -> problems.add(ProblemKind.CONFLICT, "address", "address=" + cidr
                        + " (expected: no overlap with vip " + other.name() + " " + other.address()
                        + "; the VIP sets are interval sets)")));
        return problems.decision(() -> new VipDefined(command.name(), address.get()));
    }

    @Override
    public Decision deleteVip(DeleteVip command) {
        Problems problems = new Problems();
        known(problems, "name", "vip", command.name(), state.vips());
        stillUsed(problems, "vip=" + command.name(), "flows",
                state.flows().values().filter(f -> f.vips().contains(command.name())).map(Flow::name));
        stillUsed(problems, "vip=" + command.name(), "attractors",
                state.attractors().values().filter(a -> a.vips().contains(command.name())).map(Attractor::name));
        stillUsed(problems, "vip=" + command.name(), "the port translations of conduits",
                state.conduits().values().filter(c -> c.destinationPortNats().stream()
                        .anyMatch(nat -> nat.vips().contains(command.name()))).map(Conduit::name));
        return problems.decision(() -> new VipDeleted(command.name()));
    }

    @Override
    public Decision defineAttractor(DefineAttractor command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        for (int i = 0; i < command.vips().size(); i++) {
            known(problems, "vips[" + i + "]", "vip", command.vips().get(i), state.vips());
        }
        for (int i = 0; i < command.gateways().size(); i++) {
            known(problems, "gateways[" + i + "]", "gateway", command.gateways().get(i), state.gateways());
        }
        return problems.decision(() -> new AttractorDefined(command.name(), command.vips(), command.gateways()));
    }

    @Override
    public Decision deleteAttractor(DeleteAttractor command) {
        Problems problems = new Problems();
        known(problems, "name", "attractor", command.name(), state.attractors());
        return problems.decision(() -> new AttractorDeleted(command.name()));
    }

    @Override
    public Decision defineGateway(DefineGateway command) {
        Problems problems = new Problems();
        requireTrench(problems);
        problems.name("name", command.name());
        Option<IpAddress> address = problems.parse("address", command.address(), IpAddress::parse);
        problems.interfaceName("interfaceName", command.interfaceName());
        Option<GatewayProtocol> protocol = problems.parse("protocol", command.protocol(), GatewayProtocol::parse);
        // A static gateway needs no AS numbers: left out, they are 0.
        long remoteAsn = command.remoteAsn() == null ? 0 : command.remoteAsn();
        long localAsn = command.localAsn() == null ? 0 : command.localAsn();
        problems.range("remoteAsn", remoteAsn, 0, Gateway.MAX_ASN, "");
        problems.range("localAsn", localAsn, 0, Gateway.MAX_ASN, "");
        if (protocol.contains(GatewayProtocol.BGP) && (remoteAsn == 0 || localAsn == 0)) {
            problems.add(ProblemKind.INCONSISTENT, "remoteAsn", "remoteAsn=" + remoteAsn + ", localAsn=" + localAsn
                    + " (expected: both 1.." + Gateway.MAX_ASN + " for a bgp gateway)");
        }
        GatewayOptions options = gatewayOptions(problems, command);
        boolean bfd = Boolean.TRUE.equals(command.bfd());
        return problems.decision(() -> new GatewayDefined(command.name(), address.get(), command.interfaceName(),
                protocol.get(), bfd, remoteAsn, localAsn, options));
    }

    /** @return the session's options, each one left out taking its default; what is out of range is a problem */
    private static GatewayOptions gatewayOptions(Problems problems, DefineGateway command) {
        GatewayOptions defaults = GatewayOptions.DEFAULTS;
        int localPort = orDefault(command.localPort(), defaults.localPort());
        int remotePort = orDefault(command.remotePort(), defaults.remotePort());
        int holdTime = orDefault(command.holdTime(), defaults.holdTime());
        int minTx = orDefault(command.bfdMinTx(), defaults.bfdMinTxMillis());
        int minRx = orDefault(command.bfdMinRx(), defaults.bfdMinRxMillis());
        int multiplier = orDefault(command.bfdMultiplier(), defaults.bfdMultiplier());
        String passwordFile = command.passwordFile() == null ? "" : command.passwordFile();
        problems.range("localPort", localPort, 1, 65535, "");
        problems.range("remotePort", remotePort, 1, 65535, "");
        if (holdTime != 0) {
            problems.range("holdTime", holdTime, 3, 65535, " seconds, or 0 for no keepalives");
        }
        problems.range("bfdMinTx", minTx, 10, 60_000, " milliseconds");
        problems.range("bfdMinRx", minRx, 10, 60_000, " milliseconds");
        problems.range("bfdMultiplier", multiplier, 1, 255, "");
        if (!passwordFile.isEmpty() && (!passwordFile.startsWith("/") || passwordFile.contains("\n")
                || passwordFile.contains("\""))) {
            problems.add(ProblemKind.MALFORMED, "passwordFile", "passwordFile=" + passwordFile
                    + " (expected: an absolute path to the file that holds the password)");
        }
        return new GatewayOptions(localPort, remotePort, holdTime, minTx, minRx, multiplier, passwordFile);
    }

    private static int orDefault(Integer value, int defaultValue) {
        return value == null ? defaultValue : value;
    }

    @Override
    public Decision deleteGateway(DeleteGateway command) {
        Problems problems = new Problems();
        known(problems, "name", "gateway", command.name(), state.gateways());
        stillUsed(problems, "gateway=" + command.name(), "attractors",
                state.attractors().values().filter(a -> a.gateways().contains(command.name())).map(Attractor::name));
        return problems.decision(() -> new GatewayDeleted(command.name()));
    }

    // Targets.

    @Override
    public Decision registerTarget(RegisterTarget command) {
        Problems problems = targetStream(command);
        Option<Stream> stream = command.stream() == null ? Option.none() : state.streams().get(command.stream());
        stream.forEach(s -> problems.range("identifier", command.identifier(), 1, s.maxTargets(),
                " for stream " + s.name()));
        if (command.ips() != null && command.ips().isEmpty()) {
            problems.add(ProblemKind.MISSING, "ips", "ips=[] (expected: one IPv4 and/or one IPv6 address)");
        }
        IpAddress[] parsed = problems.parseEach("ips", command.ips(), IpAddress::parse).toJavaArray(IpAddress[]::new);
        SortedSet<IpAddress> ips = TreeSet.of(parsed);
        if (ips.map(IpAddress::family).size() != parsed.length) {
            problems.add(ProblemKind.INCONSISTENT, "ips", "ips=" + command.ips()
                    + " (expected: at most one address per family)");
        }
        Option<Target> held = state.target(command.stream(), command.identifier());
        // Registering again with the same addresses changes nothing, so retries are safe.
        boolean again = held.exists(target -> target.ips().equals(ips));
        if (!again) {
            held.forEach(other -> problems.add(ProblemKind.CONFLICT, "identifier", "identifier="
                    + command.identifier() + " (expected: a free identifier; stream " + command.stream()
                    + " gives it to target " + other.ips().mkString(",") + ")"));
            for (IpAddress wanted : command.stream() == null ? new IpAddress[0] : parsed) {
                state.addressOwners().get(new TargetAddress(command.stream(), wanted)).forEach(owner -> problems.add(
                        ProblemKind.CONFLICT, "ips", "ip=" + wanted + " (expected: an address no other target of"
                                + " stream " + command.stream() + " holds; identifier " + owner + " holds it)"));
            }
        }
        if (!again && !problems.any()) {
            int fwmark = state.fwmarkOf(command.stream(), command.identifier());
            if (state.rulePriorityFor(fwmark) < 0) {
                problems.add(ProblemKind.OUT_OF_RANGE, "identifier", "identifier=" + command.identifier()
                        + " (expected: a fwmark of at most " + RulePriorities.MAX_DERIVED_FWMARK + " once rule"
                        + " priorities 1..99 are taken; it has " + fwmark + ")");
            }
        }
        return problems.decision(() -> new TargetRegistered(command.stream(), command.identifier(),
                ips.toJavaList()));
    }

    @Override
    public Decision unregisterTarget(UnregisterTarget command) {
        return registered(command).decision(() -> new TargetUnregistered(command.stream(), command.identifier()));
    }

    @Override
    public Decision enableTarget(EnableTarget command) {
        return registered(command).decision(() -> new TargetEnabled(command.stream(), command.identifier()));
    }

    @Override
    public Decision disableTarget(DisableTarget command) {
        return registered(command).decision(() -> new TargetDisabled(command.stream(), command.identifier()));
    }

    /** @return the problems of a command about a target that must be registered already */
    private Problems registered(TargetCommand command) {
        Problems problems = targetStream(command);
        if (!problems.any() && state.target(command.stream(), command.identifier()).isEmpty()) {
            SortedSet<Integer> identifiers = state.targetsOf(command.stream()).keySet();
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "identifier", "identifier=" + command.identifier()
                    + " (expected: a registered target of stream " + command.stream() + ": "
                    + (identifiers.isEmpty() ? "none is registered" : identifiers.mkString(", ")) + ")");
        }
        return problems;
    }

    private Problems targetStream(TargetCommand command) {
        Problems problems = new Problems();
        requireTrench(problems);
        if (command.stream() == null || command.stream().isEmpty()) {
            problems.add(ProblemKind.MISSING, "stream", "stream is required (expected: a defined stream)");
        } else {
            known(problems, "stream", "stream", command.stream(), state.streams());
        }
        return problems;
    }

    // The LB tier: trench-wide facts, yet they need no trench (an instance joins when it starts).

    @Override
    public Decision joinTier(JoinTier command) {
        Problems problems = new Problems();
        problems.name("name", command.name());
        Option<IpAddress> address = problems.parse("address", command.address(), IpAddress::parse);
        problems.interfaceName("interfaceName", command.interfaceName());
        boolean joined = command.name() != null && state.instances().containsKey(command.name());
        address.forEach(ip -> state.instances().values()
                .filter(other -> !other.name().equals(command.name()) && other.address().equals(ip))
                .forEach(other -> problems.add(ProblemKind.CONFLICT, "address", "address=" + ip
                        + " (expected: an address no other instance has; instance " + other.name() + " has it)")));
        if (!joined && state.freeTierIdentifier() < 0) {
            problems.add(ProblemKind.OUT_OF_RANGE, "name", "instance=" + command.name() + " (expected: at most "
                    + Instance.MAX_INSTANCES + " instances in the tier; one must leave first: "
                    + state.instances().keySet().mkString(", ") + ")");
        }
        return problems.decision(() -> new InstanceJoined(command.name(), address.get(), command.interfaceName()));
    }

    @Override
    public Decision leaveTier(LeaveTier command) {
        Problems problems = new Problems();
        known(problems, "name", "instance", command.name(), state.instances());
        return problems.decision(() -> new InstanceLeft(command.name()));
    }

    // Observations: they describe the machine, which exists before any configuration, so they need no trench.

    @Override
    public Decision reportInterfaceUp(ReportInterfaceUp command) {
        Problems problems = new Problems();
        problems.interfaceName("name", command.name());
        SortedSet<Cidr> addresses = problems.parseSet("addresses", command.addresses(), Cidr::parse);
        // Whatever MTU the kernel reports is a fact (the loopback's is 65536); only a negative one is not an MTU.
        if (command.mtu() < 0) {
            problems.add(ProblemKind.OUT_OF_RANGE, "mtu", "mtu=" + command.mtu() + " (expected: a positive MTU, or 0"
                    + " when unknown)");
        }
        return problems.decision(() -> new InterfaceUp(command.name(), addresses.toJavaList(), command.mtu()));
    }

    @Override
    public Decision reportInterfaceDown(ReportInterfaceDown command) {
        Problems problems = new Problems();
        problems.interfaceName("name", command.name());
        return problems.decision(() -> new InterfaceDown(command.name()));
    }

    @Override
    public Decision reportNeighbourReachable(ReportNeighbourReachable command) {
        Problems problems = new Problems();
        Option<IpAddress> address = problems.parse("address", command.address(), IpAddress::parse);
        problems.interfaceName("interfaceName", command.interfaceName());
        Option<String> mac = problems.parse("mac", command.mac(), Decider::mac);
        return problems.decision(() -> new NeighbourReachable(address.get(), command.interfaceName(), mac.get()));
    }

    @Override
    public Decision reportNeighbourFailed(ReportNeighbourFailed command) {
        Problems problems = new Problems();
        Option<IpAddress> address = problems.parse("address", command.address(), IpAddress::parse);
        problems.interfaceName("interfaceName", command.interfaceName());
        return problems.decision(() -> new NeighbourFailed(address.get(), command.interfaceName()));
    }

    @Override
    public Decision reportGatewaySessionUp(ReportGatewaySessionUp command) {
        Problems problems = new Problems();
        known(problems, "gateway", "gateway", command.gateway(), state.gateways());
        return problems.decision(() -> new GatewaySessionUp(command.gateway()));
    }

    @Override
    public Decision reportGatewaySessionDown(ReportGatewaySessionDown command) {
        Problems problems = new Problems();
        known(problems, "gateway", "gateway", command.gateway(), state.gateways());
        return problems.decision(() -> new GatewaySessionDown(command.gateway()));
    }

    @Override
    public Decision reportRoutingDaemonRestart(ReportRoutingDaemonRestart command) {
        Problems problems = new Problems();
        if (command.reason() == null || command.reason().isBlank()) {
            problems.add(ProblemKind.MISSING, "reason", "reason is required (expected: how the routing daemon"
                    + " ended)");
        }
        return problems.decision(() -> new RoutingDaemonRestarted(command.reason()));
    }

    @Override
    public Decision recordDrift(RecordDrift command) {
        Problems problems = new Problems();
        if (command.repair() == null || command.repair().isBlank()) {
            problems.add(ProblemKind.MISSING, "repair", "repair is required (expected: the operation that undoes"
                    + " the drift)");
        }
        return problems.decision(() -> new DriftObserved(command.repair()));
    }

    @Override
    public Decision recordApplyFailure(RecordApplyFailure command) {
        Problems problems = new Problems();
        if (command.operation() == null || command.operation().isBlank()) {
            problems.add(ProblemKind.MISSING, "operation", "operation is required (expected: the operation the"
                    + " dataplane refused)");
        }
        if (command.error() == null || command.error().isBlank()) {
            problems.add(ProblemKind.MISSING, "error", "error is required (expected: the dataplane's message)");
        }
        if (command.attempts() < 1) {
            problems.add(ProblemKind.OUT_OF_RANGE, "attempts", "attempts=" + command.attempts() + " (expected: >= 1)");
        }
        return problems.decision(() -> new ApplyFailed(command.operation(), command.error(), command.attempts()));
    }

    @Override
    public Decision recordApplyRecovery(RecordApplyRecovery command) {
        Problems problems = new Problems();
        if (command.operations() < 0) {
            problems.add(ProblemKind.OUT_OF_RANGE, "operations", "operations=" + command.operations()
                    + " (expected: >= 0)");
        }
        return problems.decision(() -> new ApplyRecovered(command.operations()));
    }

    // What the rules share.

    /** Every change but an observation needs the trench first. */
    private void requireTrench(Problems problems) {
        if (state.trench().isEmpty()) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "trench",
                    "no trench is defined (expected: the trench defined before anything in it)");
        }
    }

    private static void known(Problems problems, String field, String kind, String name, SortedMap<String, ?> held) {
        if (name == null || !held.containsKey(name)) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, field, kind + "=" + name + " (expected: one of the defined "
                    + kind + "s: " + (held.isEmpty() ? "none is defined" : held.keySet().mkString(", ")) + ")");
        }
    }

    private static void stillUsed(Problems problems, String subject, String users, Iterable<String> names) {
        Seq<String> list = List.ofAll(names);
        if (!list.isEmpty()) {
            problems.add(ProblemKind.STILL_REFERENCED, "name", subject + " is still used by " + users + " "
                    + list.mkString(", ") + " (expected: none; delete or change them first)");
        }
    }

    private static boolean overlap(Cidr a, Cidr b) {
        return a.family() == b.family() && (a.contains(b.address()) || b.contains(a.address()));
    }

    private static Either<String, String> mac(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return MAC.matcher(lower).matches()
                ? Either.right(lower)
                : Either.left("mac=" + text + " (expected: six colon-separated hex octets, such as 02:fe:c2:14:ec:dd)");
    }
}

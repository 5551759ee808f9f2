package io.statelesslb.config;

import java.util.List;

/**
 * The declarative configuration file as written: one trench, the load balancer's settings (optional: without them
 * the file leaves them as they are), its conduits, streams, VIPs, gateways, flows, attractors, and optionally static
 * targets. Lists that are absent mean none; optional numbers are boxed so that an absent one takes its default
 * (priority 0, no BFD, AS numbers 0) instead of failing the parse.
 */
record ConfigDocument(
        String trench,
        LoadBalancer loadBalancer,
        List<Conduit> conduits,
        List<Stream> streams,
        List<Vip> vips,
        List<Gateway> gateways,
        List<Flow> flows,
        List<Attractor> attractors,
        List<Target> targets) {

    ConfigDocument {
        conduits = conduits == null ? List.of() : conduits;
        streams = streams == null ? List.of() : streams;
        vips = vips == null ? List.of() : vips;
        gateways = gateways == null ? List.of() : gateways;
        flows = flows == null ? List.of() : flows;
        attractors = attractors == null ? List.of() : attractors;
        targets = targets == null ? List.of() : targets;
    }

    /** nfqlb's options; each one absent keeps what is set (or the default). */
    record LoadBalancer(String queues, Integer queueLength, Boolean queueBypass, Boolean failOpen,
                        Boolean promiscuousPing, Long noLbFwmark, Long noTargetsFwmark,
                        Integer sctpUdpEncapsulationPort, Boolean queueFanout) {
    }

    record Conduit(String name, String interfacePrefix, List<PortNat> destinationPortNats) {

        Conduit {
            destinationPortNats = destinationPortNats == null ? List.of() : destinationPortNats;
        }
    }

    /** A conduit's port translation: {@code port} of {@code vips} becomes the targets' {@code targetPort}. */
    record PortNat(String protocol, Integer port, Integer targetPort, List<String> vips) {
    }

    record Stream(String name, String conduit, Integer maxTargets) {
    }

    record Vip(String name, String address) {
    }

    record Gateway(String name, String address, String interfaceName, String protocol, Boolean bfd, Long remoteAsn,
                   Long localAsn, Integer localPort, Integer remotePort, Integer holdTime, Integer bfdMinTx,
                   Integer bfdMinRx, Integer bfdMultiplier, String passwordFile) {
    }

    record Flow(String name, String stream, Integer priority, List<String> protocols, List<String> sourceSubnets,
                List<String> sourcePorts, List<String> destinationPorts, List<String> vips, List<String> byteMatches) {
    }

    record Attractor(String name, List<String> vips, List<String> gateways) {
    }

    record Target(String stream, Integer identifier, List<String> ips) {
    }
}

package io.statelesslb.api.codec;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of a state snapshot. Configuration objects reuse the shape of their defining events; what
 * the fold allocated (fwmark offsets, rule priorities) and what was observed is spelled out. The load balancer's
 * settings are there when they are not the defaults (snapshots from before they existed have none); so are the LB
 * tier's instances.
 */
record SnapshotDocument(
        int version,
        long sequence,
        String trench,
        LoadBalancerConfigured loadBalancer,
        List<ConduitDefined> conduits,
        List<StreamEntry> streams,
        List<FlowDefined> flows,
        List<VipDefined> vips,
        List<AttractorDefined> attractors,
        List<GatewayDefined> gateways,
        List<TargetEntry> targets,
        List<InterfaceEntry> interfaces,
        List<NeighbourEntry> neighbours,
        Map<String, Boolean> gatewaySessions,
        List<InstanceEntry> instances) {

    /** A stream with the fwmark offset it was given. */
    record StreamEntry(String name, String conduit, int maxTargets, int fwmarkOffset) {
    }

    /** A registered target with the rule priority it was given. */
    record TargetEntry(String stream, int identifier, List<IpAddress> ips, boolean enabled, int rulePriority) {
    }

    /** An instance of the LB tier with the slot it was given. */
    record InstanceEntry(String name, int identifier, IpAddress address, String interfaceName) {
    }

    /** An observed interface. */
    record InterfaceEntry(String name, boolean up, List<Cidr> addresses, int mtu) {
    }

    /** An observed neighbour entry. */
    record NeighbourEntry(IpAddress address, String interfaceName, NeighbourState state, String mac) {
    }
}

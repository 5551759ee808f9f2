package io.statelesslb.domain.command;

/**
 * A configuration object (trench, conduit, stream, flow, VIP, attractor, gateway) is to be defined or deleted, or the
 * load balancer's settings set.
 */
public sealed interface ConfigurationCommand extends Command
        permits DefineTrench, DeleteTrench, DefineConduit, DeleteConduit, DefineStream, DeleteStream, DefineFlow,
        DeleteFlow, DefineVip, DeleteVip, DefineAttractor, DeleteAttractor, DefineGateway, DeleteGateway,
        ConfigureLoadBalancer {

    /** @return the name of the object the command is about */
    String name();
}

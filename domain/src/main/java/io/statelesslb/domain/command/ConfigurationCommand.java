package io.statelesslb.domain.command;

/** A configuration object (trench, conduit, stream, flow, VIP, attractor, gateway) is to be defined or deleted. */
public sealed interface ConfigurationCommand extends Command
        permits DefineTrench, DeleteTrench, DefineConduit, DeleteConduit, DefineStream, DeleteStream, DefineFlow,
        DeleteFlow, DefineVip, DeleteVip, DefineAttractor, DeleteAttractor, DefineGateway, DeleteGateway {

    /** @return the name of the object the command is about */
    String name();
}

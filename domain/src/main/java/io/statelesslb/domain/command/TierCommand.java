package io.statelesslb.domain.command;

/** An instance is to join or leave the trench's LB tier. */
public sealed interface TierCommand extends Command permits JoinTier, LeaveTier {

    /** @return the name of the instance the command is about */
    String name();
}

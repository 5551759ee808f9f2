package io.statelesslb.controller.pipeline;

import io.statelesslb.api.codec.EventType;
import io.statelesslb.domain.command.Command;

/** Who a change comes from when the caller does not say: the kind of fact it claims tells. */
public final class ChangeSource {

    private ChangeSource() {
    }

    /** @return {@code operator}, {@code kernel}, {@code routing daemon} or {@code controller} */
    public static String of(Command command) {
        return switch (EventType.ofCommand(command).source()) {
            case OPERATOR -> "operator";
            case MACHINE -> "kernel";
            case ROUTING_DAEMON -> "routing daemon";
            case CONTROLLER -> "controller";
        };
    }
}

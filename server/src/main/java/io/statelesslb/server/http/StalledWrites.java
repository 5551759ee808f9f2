package io.statelesslb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose response has not moved for a while: bytes wait to be written and none has left (a
 * watcher that stopped reading, its send buffer full). An idle connection with nothing to write is left to the idle
 * timeout. One timer per connection, not one per write: a watch writes thousands of frames.
 */
final class StalledWrites extends IdleStateHandler {

    StalledWrites(Duration limit) {
        // observeOutput: a write still pending does not count as activity; only bytes leaving do.
        super(true, 0, limit.toMillis(), 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        if (event.state() == IdleState.WRITER_IDLE && pending != null && pending.totalPendingWriteBytes() > 0) {
            ctx.close();
        }
    }
}

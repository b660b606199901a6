package io.atrium.edge.proxy.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in an HTTP/2 connection's pipeline: a protocol error a client caused (a DATA frame for a stream the edge already
 * refused, a malformed frame) has been answered by the codec with RST_STREAM or GOAWAY; it is logged at debug level
 * without a stack trace instead of reaching Netty's pipeline tail as a warning with one. Anything else is closed.
 */
@ChannelHandler.Sharable
final class Http2ConnectionErrors extends ChannelInboundHandlerAdapter {
    static final Http2ConnectionErrors INSTANCE = new Http2ConnectionErrors();
    private static final Logger LOG = LoggerFactory.getLogger("io.atrium.edge.http2");

    private Http2ConnectionErrors() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception) {
            LOG.debug("event=http2_protocol_error error={}", cause.getMessage());
        } else {
            LOG.debug("event=http2_connection_error error={}", cause.toString());
            ctx.close();
        }
    }
}

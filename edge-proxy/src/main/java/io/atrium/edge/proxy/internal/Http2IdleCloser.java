package io.atrium.edge.proxy.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/2 connection that had no traffic and no open stream for {@code limits.idle_timeout}: GOAWAY
 * ({@code NO_ERROR}) first, so the client knows no stream was lost, then the connection. Sits between the frame codec
 * and the multiplexer, so it sees every frame both ways; a connection with open (quiet) streams stays open.
 */
final class Http2IdleCloser extends IdleStateHandler {

    Http2IdleCloser(long idleNanos) {
        super(0, 0, idleNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.ALL_IDLE) {
            return;
        }
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec != null && codec.connection().numActiveStreams() > 0) {
            return;
        }
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)).addListener(ChannelFutureListener.CLOSE);
    }
}

package io.atrium.edge.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** Last handler of an upstream connection: forwards events to the client connection that currently owns it. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final EndpointPool pool;
    private ClientConnection owner;

    UpstreamHandler(EndpointPool pool) {
        this.pool = pool;
    }

    EndpointPool pool() {
        return pool;
    }

    void owner(ClientConnection owner) {
        this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner == null) {
            // Nothing may arrive on an idle keep-alive connection; whatever did makes it unusable.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        owner.onUpstreamMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ClientConnection current = owner;
        owner = null;
        if (current != null) {
            current.onUpstreamLost(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientConnection current = owner;
        owner = null;
        ctx.close();
        if (current != null) {
            current.onUpstreamLost(cause);
        }
    }
}

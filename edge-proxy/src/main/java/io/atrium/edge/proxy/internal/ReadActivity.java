package io.atrium.edge.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP/1.1 decoder and tells the connection's {@link ClientConnection} when the first byte of a next
 * request arrives while it waits for one (the idle keep-alive wait then becomes the request-header wait). Confined to
 * the connection's event loop; costs one field check per read.
 */
final class ReadActivity extends ChannelInboundHandlerAdapter {

    private Runnable onFirstByte;

    /** {@code callback} runs (once) on the next read that carries bytes; replaces an earlier one. */
    void armFirstByte(Runnable callback) {
        onFirstByte = callback;
    }

    void disarm() {
        onFirstByte = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Runnable callback = onFirstByte;
        if (callback != null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            onFirstByte = null;
            callback.run();
        }
        ctx.fireChannelRead(msg);
    }
}

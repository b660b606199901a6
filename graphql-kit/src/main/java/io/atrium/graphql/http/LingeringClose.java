package io.atrium.graphql.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after an answer sent before the request was read to its end (413 for a body over the limit),
 * the way NGINX's lingering close does: the answer is flushed, the write side is shut down, and whatever the client
 * still sends is read and discarded until it stops (end of input), {@value #MAX_BYTES} bytes were discarded or
 * {@value #MAX_MILLIS} ms passed. Closing at once with unread bytes in the socket would make the kernel reset the
 * connection, and a client still sending its body could lose the answer before reading it.
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final long MAX_MILLIS = 2_000;

    /** Closes lingering once this write is done: use in place of {@link ChannelFutureListener#CLOSE}. */
    public static final ChannelFutureListener AFTER_WRITE = LingeringClose::start;

    /**
     * Writes the answer and closes lingering. It is written past an {@link HttpServerKeepAliveHandler} when the
     * pipeline has one: that handler closes the connection itself as soon as a {@code Connection: close} answer is
     * written, before a lingering close could start.
     */
    public static void answerAndClose(ChannelHandlerContext ctx, Object answer) {
        ChannelHandlerContext keepAlive = ctx.pipeline().context(HttpServerKeepAliveHandler.class);
        (keepAlive != null ? keepAlive : ctx).writeAndFlush(answer).addListener(AFTER_WRITE);
    }

    private long discarded;

    private LingeringClose() {
    }

    private static void start(ChannelFuture written) {
        Channel channel = written.channel();
        if (!written.isSuccess() || !channel.isActive() || !(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
        }
        // first in the pipeline: the request's remaining bytes never reach a decoder
        channel.pipeline().addFirst(new LingeringClose());
        Runnable close = channel::close;
        channel.eventLoop().schedule(close, MAX_MILLIS, TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                channel.close();
            }
        });
        channel.config().setAutoRead(true);
        channel.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            discarded += bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > MAX_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // swallowed: the handlers behind have nothing to complete
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event == ChannelInputShutdownReadComplete.INSTANCE) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the client reset or went away: nothing more to wait for, and nothing worth logging
        ctx.close();
    }
}

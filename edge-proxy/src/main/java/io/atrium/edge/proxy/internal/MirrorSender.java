package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.Cluster;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Fire-and-forget copies of requests to a route's shadow cluster, owned by one event loop. Each copy goes over its own
 * short connection ({@code Connection: close}) so that it never competes with the main exchange for pooled
 * connections; the response is read and discarded. Copies beyond {@link #MAX_IN_FLIGHT} per loop are dropped (counted in {@link ProxyStats#mirrorsDropped()}), and a
 * copy is abandoned after the shadow cluster's response timeout. Nothing here can delay or fail the main exchange.
 */
final class MirrorSender {

    /** Concurrent mirrored requests per event loop; more are dropped (and counted). */
    static final int MAX_IN_FLIGHT = 256;

    private final EventLoop loop;
    private final Generation generation;
    private final ProxyStats stats;
    private final Bootstrap bootstrap;
    private int inFlight;

    MirrorSender(EventLoop loop, Transport transport, Generation generation, ProxyStats stats) {
        this.loop = loop;
        this.generation = generation;
        this.stats = stats;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.TCP_NODELAY, true);
    }

    /** Sends {@code request} (whose reference this takes) to an available endpoint of {@code cluster}. */
    void send(Cluster cluster, FullHttpRequest request) {
        if (inFlight >= MAX_IN_FLIGHT) {
            stats.mirrorDropped();
            request.release();
            return;
        }
        ClusterEndpoint endpoint = cluster.resilience().select(null).endpoint();
        UpstreamAddress address = generation.addresses(cluster)[endpoint.index()];
        InetSocketAddress target = address.address();
        if (target.isUnresolved()) {
            address.refreshSoon();
            request.release();
            return;
        }
        request.headers().set(HttpHeaderNames.HOST, address.endpoint().authority());
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        inFlight++;
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, cluster.connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new Discard());
                    }
                })
                .connect(target);
        Channel ch = connect.channel();
        ch.closeFuture().addListener(f -> inFlight--);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                request.release();
                return;
            }
            ch.writeAndFlush(request);
            var timeout = loop.schedule(() -> ch.close(), cluster.responseTimeoutNanos(), TimeUnit.NANOSECONDS);
            ch.closeFuture().addListener(c -> timeout.cancel(false));
        });
    }

    /** Reads the shadow's response and throws it away; closes once it is complete. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

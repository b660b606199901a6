package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.Cluster;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.atrium.policy.resilience.HealthChecker;
import io.atrium.policy.resilience.ProbeResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The active health checks of one config generation: per endpoint of every cluster with {@code health_check}, a probe
 * loop on one event loop of the data path. A probe is {@code GET <path>} over a dedicated short-lived connection
 * ({@code Connection: close}), so it never takes a pooled connection from a request; its result (2xx head within the
 * timeout) goes to the library's {@link HealthChecker}, which also says when to probe next. Nothing blocks.
 */
final class HealthProbes {

    private final Generation generation;
    private volatile boolean stopped;

    HealthProbes(Generation generation) {
        this.generation = generation;
    }

    /** Schedules the first probe of every checked endpoint, spread over the loops of {@code group}. */
    void start(EventLoopGroup group, Transport transport) {
        for (Cluster cluster : generation.routes().clusters()) {
            HealthChecker checker = cluster.resilience().healthChecker().orElse(null);
            if (checker == null) {
                continue;
            }
            UpstreamAddress[] addresses = generation.addresses(cluster);
            for (ClusterEndpoint endpoint : cluster.resilience().endpoints()) {
                EventLoop loop = group.next();
                Bootstrap bootstrap = new Bootstrap()
                        .group(loop)
                        .channel(transport.socketChannel())
                        .resolver(NoopAddressResolverGroup.INSTANCE)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, checker.config().timeout().toMillis()))
                        .option(ChannelOption.TCP_NODELAY, true);
                new EndpointProbe(loop, bootstrap, checker, endpoint, addresses[endpoint.index()]).scheduleNext();
            }
        }
    }

    /** Stops probing (the generation was replaced); probes in flight finish without reporting. */
    void stop() {
        stopped = true;
    }

    /** The probe loop of one endpoint; all of its methods run on its event loop. */
    private final class EndpointProbe {

        private final EventLoop loop;
        private final Bootstrap bootstrap;
        private final HealthChecker checker;
        private final ClusterEndpoint endpoint;
        private final UpstreamAddress address;
        private final String path;
        private final long timeoutNanos;
        /** The probe in flight: its number, so late events of an earlier probe are ignored. */
        private int probe;
        private boolean reported;

        EndpointProbe(EventLoop loop, Bootstrap bootstrap, HealthChecker checker, ClusterEndpoint endpoint, UpstreamAddress address) {
            this.loop = loop;
            this.bootstrap = bootstrap;
            this.checker = checker;
            this.endpoint = endpoint;
            this.address = address;
            this.path = checker.config().path();
            this.timeoutNanos = checker.config().timeout().toNanos();
        }

        void scheduleNext() {
            if (stopped) {
                return;
            }
            loop.schedule(this::run, Math.max(1, checker.nanosUntilProbe(endpoint)), TimeUnit.NANOSECONDS);
        }

        private void run() {
            if (stopped) {
                return;
            }
            int current = ++probe;
            reported = false;
            InetSocketAddress target = address.address();
            if (target.isUnresolved()) {
                address.refreshSoon();
                finish(current, ProbeResult.FAILURE, null);
                return;
            }
            ScheduledFuture<?> timer = loop.schedule(() -> finish(current, ProbeResult.TIMEOUT, null), timeoutNanos, TimeUnit.NANOSECONDS);
            Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof HttpResponse response && response.status().code() >= 200) {
                                timer.cancel(false);
                                finish(current, ProbeResult.ofStatus(response.status().code()), ctx.channel());
                            }
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            timer.cancel(false);
                            finish(current, ProbeResult.FAILURE, null);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close();
                        }
                    });
                }
            });
            ChannelFuture connect = b.connect(target);
            Channel ch = connect.channel();
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    timer.cancel(false);
                    address.refreshSoon();
                    finish(current, ProbeResult.FAILURE, null);
                    return;
                }
                if (probe != current || reported) {
                    ch.close();
                    return;
                }
                FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                request.headers().set(HttpHeaderNames.HOST, address.endpoint().authority())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .set(HttpHeaderNames.USER_AGENT, "atrium-edge-health-check");
                ch.writeAndFlush(request);
                // A timed-out probe closes its connection.
                timer.addListener(t -> {
                    if (!t.isCancelled()) {
                        ch.close();
                    }
                });
            });
        }

        /** Reports the first result of probe {@code current} and schedules the next probe. */
        private void finish(int current, ProbeResult result, Channel toClose) {
            if (toClose != null) {
                toClose.close();
            }
            if (current != probe || reported) {
                return;
            }
            reported = true;
            if (stopped) {
                return;
            }
            checker.report(endpoint, result);
            scheduleNext();
        }
    }
}

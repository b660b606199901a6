package io.atrium.edge.proxy.internal;

import io.atrium.edge.proxy.ProxyStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.resolver.NoopAddressResolverGroup;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Keep-alive HTTP/1.1 connections to one endpoint, owned by one event loop: every method runs on that loop, so there is
 * no locking and connections serve client connections of the same thread without cross-thread hops.
 * At most {@code maxOpen} connections (busy plus idle) exist; further requests wait in FIFO order.
 */
final class EndpointPool {

    private final UpstreamAddress address;
    private final String authority;
    private final Bootstrap bootstrap;
    private final ProxyStats stats;
    private final int maxOpen;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int open;
    private boolean retired;

    private record Waiter(ClientConnection owner, int ticket) {
    }

    EndpointPool(EventLoop loop, Transport transport, UpstreamAddress address, int connectTimeoutMillis, int maxOpen, ProxyStats stats) {
        this.address = address;
        this.authority = address.endpoint().authority();
        this.stats = stats;
        this.maxOpen = maxOpen;
        EndpointPool pool = this;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new UpstreamHandler(pool));
                    }
                });
    }

    String authority() {
        return authority;
    }

    String describe() {
        return address.endpoint().toString();
    }

    /**
     * An idle connection now, or null when {@code owner} will be called back (for its attempt {@code ticket}) with
     * {@link ClientConnection#upstreamReady} or {@link ClientConnection#upstreamFailed}.
     */
    Channel acquire(ClientConnection owner, int ticket) {
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                return ch;
            }
        }
        if (open < maxOpen) {
            connect(owner, ticket);
        } else {
            waiters.addLast(new Waiter(owner, ticket));
        }
        return null;
    }

    /** The config this pool belongs to was replaced: close idle connections, and every connection once released. */
    void retire() {
        retired = true;
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            ch.close();
        }
    }

    /** Gives a connection back after an exchange; {@code reusable} only after a complete response on a keep-alive connection. */
    void release(Channel ch, boolean reusable) {
        if (!reusable || !ch.isActive() || (retired && waiters.isEmpty())) {
            ch.close();
            return;
        }
        Waiter waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            if (waiter.owner().upstreamReady(waiter.ticket(), ch, true)) {
                return;
            }
        }
        idle.addFirst(ch);
    }

    private void connect(ClientConnection owner, int ticket) {
        InetSocketAddress target = address.address();
        if (target.isUnresolved()) {
            address.refreshSoon();
            owner.upstreamFailed(ticket, new ConnectException("cannot resolve " + address.endpoint().host()));
            return;
        }
        open++;
        ChannelFuture connect = bootstrap.connect(target);
        Channel ch = connect.channel();
        ch.closeFuture().addListener(f -> onClosed(ch));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                address.refreshSoon();
                owner.upstreamFailed(ticket, f.cause());
                return;
            }
            stats.upstreamConnectionOpened();
            if (!owner.upstreamReady(ticket, ch, false)) {
                release(ch, true);
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        idle.remove(ch);
        while (open < maxOpen && !waiters.isEmpty()) {
            Waiter waiter = waiters.pollFirst();
            if (waiter.owner().isWaitingForUpstream(waiter.ticket())) {
                connect(waiter.owner(), waiter.ticket());
            }
        }
    }
}

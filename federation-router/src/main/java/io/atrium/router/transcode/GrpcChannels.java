package io.atrium.router.transcode;

import io.atrium.router.config.GrpcTls;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Channels from the router to gRPC servers, shared by the transcoder and the gRPC connector: plaintext (h2c) without
 * a {@link GrpcTls}, else grpc-java's {@link TlsChannelCredentials} (trust anchors from {@code ca_file} or the JDK's,
 * a client key pair for mTLS) with the server name overriding the authority the certificate is checked against.
 */
public final class GrpcChannels {

    private GrpcChannels() {
    }

    /**
     * @param directExecutor run callbacks on the transport's event loop (callers that never block in them)
     * @throws IllegalArgumentException when a TLS file cannot be read
     */
    public static ManagedChannel open(String target, GrpcTls tls, boolean directExecutor) {
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials(target, tls));
        if (directExecutor) {
            builder.directExecutor();
        }
        if (tls != null && tls.serverName() != null) {
            builder.overrideAuthority(tls.serverName());
        }
        return builder.build();
    }

    /**
     * A channel whose transports live on one event loop of grpc-netty's (shaded) Netty, with callbacks run on that
     * loop: a caller on the same loop (the transcoder's HTTP connections) starts calls and gets their answers without
     * a thread hop. Name resolution, load balancing, deadlines, keep-alive and TLS are grpc-java's as with {@link
     * #open}.
     *
     * @param channelType the socket channel class that matches the loop's transport (epoll or NIO)
     * @throws IllegalArgumentException when a TLS file cannot be read
     */
    public static ManagedChannel openOn(String target, GrpcTls tls, EventLoop loop,
                                        Class<? extends SocketChannel> channelType) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target, credentials(target, tls))
                .eventLoopGroup(loop)
                .channelType(channelType, java.net.InetSocketAddress.class)
                .directExecutor();
        if (tls != null && tls.serverName() != null) {
            builder.overrideAuthority(tls.serverName());
        }
        return builder.build();
    }

    private static ChannelCredentials credentials(String target, GrpcTls tls) {
        if (tls == null) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (tls.caFile() != null) {
                builder.trustManager(tls.caFile().toFile());
            }
            if (tls.certFile() != null) {
                builder.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
            }
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS files for gRPC target " + target + ": " + e.getMessage(), e);
        }
    }

    /** Shuts a channel down, waiting up to two seconds for calls in flight before cancelling them. */
    public static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

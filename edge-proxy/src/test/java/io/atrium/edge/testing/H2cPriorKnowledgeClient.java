package io.atrium.edge.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An HTTP/2 client speaking cleartext by prior knowledge (no Upgrade), which the JDK client cannot do. */
public final class H2cPriorKnowledgeClient implements AutoCloseable {

    public record Response(Http2Headers headers, byte[] body) {
        public int status() {
            return Integer.parseInt(headers.status().toString());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;
    private final CompletableFuture<Void> goAway = new CompletableFuture<>();

    public H2cPriorKnowledgeClient(int port) throws InterruptedException {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                            }
                        }), new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http2GoAwayFrame) {
                                    goAway.complete(null);
                                }
                            }
                        });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Completes when the server sends GOAWAY. */
    public CompletableFuture<Void> goAway() {
        return goAway;
    }

    /** Completes when the connection is closed (by either side). */
    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        connection.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    /** Sends one request on a new stream and waits for the whole response. */
    public Response send(String method, String path, Http2Headers extra, byte[] body) throws Exception {
        return sendAsync(method, path, extra, body).get(10, TimeUnit.SECONDS);
    }

    /** Sends one request on a new stream; the future completes with the whole response. */
    public CompletableFuture<Response> sendAsync(String method, String path, Http2Headers extra, byte[] body) throws Exception {
        CompletableFuture<Response> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Http2Headers[] responseHeaders = new Http2Headers[1];
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new SimpleChannelInboundHandler<Http2StreamFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                boolean end = false;
                if (frame instanceof Http2HeadersFrame headers) {
                    if (responseHeaders[0] == null) {
                        responseHeaders[0] = headers.headers();
                    }
                    end = headers.isEndStream();
                } else if (frame instanceof Http2DataFrame data) {
                    ByteBuf content = data.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    received.writeBytes(bytes);
                    end = data.isEndStream();
                }
                if (end) {
                    result.complete(new Response(responseHeaders[0], received.toByteArray()));
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                result.completeExceptionally(new IllegalStateException("stream closed before the response ended"));
            }
        }).open().sync().getNow();
        Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("127.0.0.1");
        headers.add(extra);
        boolean hasBody = body != null && body.length > 0;
        stream.write(new DefaultHttp2HeadersFrame(headers, !hasBody));
        if (hasBody) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        stream.flush();
        return result;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package io.atrium.graphql.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server that answers before reading the request's body, as a 413 does, and a client over a real socket that
 * goes on sending the body it declared: the answer must reach the client whole, and the connection must end.
 */
class LingeringCloseTest {
    private static final byte[] ANSWER = "HTTP/1.1 413 Payload Too Large\r\ncontent-length: 5\r\nconnection: close\r\n\r\nlarge"
            .getBytes(StandardCharsets.US_ASCII);

    private EventLoopGroup group;
    private Channel server;
    private final AtomicReference<Channel> accepted = new AtomicReference<>();
    private final AtomicInteger lateReads = new AtomicInteger();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(answerBeforeTheBody());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    /** Answers on the first bytes read, then closes lingering; what is read after that must never reach it. */
    private ChannelInboundHandlerAdapter answerBeforeTheBody() {
        return new ChannelInboundHandlerAdapter() {
            private boolean answered;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                accepted.set(ctx.channel());
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                if (answered) {
                    lateReads.incrementAndGet();
                    return;
                }
                answered = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(LingeringClose.AFTER_WRITE);
            }
        };
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theAnswerSurvivesABodyStillBeingSentAndTheConnectionEnds() throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        for (int round = 0; round < 5; round++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: 3145728\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < 3 * 1024 * 1024; sent += chunk.length) {
                    out.write(chunk); // read and discarded by the server, never reset
                }
                out.flush();
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                in.transferTo(received); // ends: the server closes once the client's input ended
                assertThat(received.toByteArray()).as("the whole answer, then the end of the stream").isEqualTo(ANSWER);
            }
        }
        assertThat(lateReads).as("the discarded body never reaches the handlers behind").hasValue(0);
    }

    @Test
    void aClientThatKeepsTheConnectionOpenIsClosedAfterTheLingerTime() throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("POST / HTTP/1.1\r\ncontent-length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(received); // ends at the server's write-side shutdown
            long answered = System.nanoTime();
            assertThat(received.toByteArray()).isEqualTo(ANSWER);
            Channel child = accepted.get();
            assertThat(child.isOpen()).as("lingering: still reading what the client sends").isTrue();
            assertThat(child.closeFuture().await(LingeringClose.MAX_MILLIS * 3, TimeUnit.MILLISECONDS))
                    .as("closed by the linger timer although the client never closed").isTrue();
            assertThat(System.nanoTime() - answered).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(LingeringClose.MAX_MILLIS / 2));
        }
    }
}

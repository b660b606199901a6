package io.atrium.edge;

import io.atrium.edge.testing.Edge;
import io.atrium.edge.testing.Tls;
import io.atrium.edge.tls.DevCertificate;
import io.atrium.edge.testing.TestUpstream;
import io.atrium.policy.auth.ApiKeyAuthenticator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WebSocket pass-through: a real Netty WebSocket echo server upstream, the JDK's WebSocket client through the edge.
 */
class WebSocketIT {

    private static final String KEY = "websocket-test-key";

    private static EventLoopGroup group;
    private static Channel echoServer;
    private static final AtomicReference<FullHttpRequest> lastHandshake = new AtomicReference<>();
    private static final AtomicInteger upstreamConnectionsOpen = new AtomicInteger();
    private static TestUpstream plain;
    private static Edge edge;
    private static HttpClient client;
    private static HttpClient tlsClient;
    private static Path certDir;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        echoServer = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        upstreamConnectionsOpen.incrementAndGet();
                        ch.closeFuture().addListener(f -> upstreamConnectionsOpen.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof FullHttpRequest request) {
                                    lastHandshake.set(request.copy());
                                }
                                ctx.fireChannelRead(msg);
                            }
                        }, new WebSocketServerProtocolHandler("/chat", null, false, 1024 * 1024),
                                // The JDK client sends large messages as several frames: echo whole messages.
                                new WebSocketFrameAggregator(1024 * 1024), new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                ctx.writeAndFlush(new TextWebSocketFrame("echo:" + frame.text()));
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        int echoPort = ((InetSocketAddress) echoServer.localAddress()).getPort();
        plain = new TestUpstream();
        certDir = Files.createTempDirectory("atrium-ws-certs");
        DevCertificate.PemFiles pem = Tls.certificateIn(certDir);
        edge = Edge.start("""
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: 0 }
                  https: { host: 127.0.0.1, port: 0, cert_file: "%s", key_file: "%s" }
                auth:
                  api_keys:
                    consumers: [ { name: app, key_sha256: "%s" } ]
                clusters:
                  ws: { endpoints: [ "http://127.0.0.1:%d" ] }
                  plain: { endpoints: [ "%s" ] }
                routes:
                  - name: chat
                    match: { path_prefix: /chat }
                    cluster: ws
                    websocket: true
                  - name: plain
                    match: { path_prefix: /plain }
                    cluster: plain
                    auth: { public: true }
                """.formatted(pem.certificate(), pem.privateKey(), ApiKeyAuthenticator.digestHex(KEY), echoPort, plain.url()));
        client = HttpClient.newHttpClient();
        tlsClient = HttpClient.newBuilder().sslContext(Tls.trusting(pem.certificate())).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.shutdownNow();
        tlsClient.shutdownNow();
        edge.close();
        plain.close();
        echoServer.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        try (var files = Files.walk(certDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @BeforeEach
    void clear() {
        plain.clear();
        lastHandshake.set(null);
    }

    @Test
    void messagesFlowBothWaysThroughTheEdgeAndCloseEndsBothConnections() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = client.newWebSocketBuilder().header("X-Api-Key", KEY)
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/chat"), messages).get(10, TimeUnit.SECONDS);

        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("echo:hello");
        String big = "x".repeat(300_000); // many TCP segments and buffer refills through the splice
        ws.sendText(big, true).get(10, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("echo:" + big);

        FullHttpRequest handshake = lastHandshake.get();
        assertThat(handshake.headers().get("upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(handshake.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(handshake.headers().get("sec-websocket-key")).isNotBlank();

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(messages.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        await(() -> upstreamConnectionsOpen.get() == 0);
    }

    @Test
    void secureWebSocketsAreTerminatedAtTheTlsListenerAndSplicedToThePlainUpstream() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = tlsClient.newWebSocketBuilder().header("X-Api-Key", KEY)
                .buildAsync(URI.create("wss://127.0.0.1:" + edge.dataPlane().tlsPort() + "/chat"), messages).get(10, TimeUnit.SECONDS);

        ws.sendText("over tls", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("echo:over tls");
        String big = "y".repeat(200_000); // many TLS records each way
        ws.sendText(big, true).get(10, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("echo:" + big);
        assertThat(lastHandshake.get().headers().get("x-forwarded-proto")).isEqualTo("https");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(messages.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        await(() -> upstreamConnectionsOpen.get() == 0);
    }

    @Test
    void authenticationAppliesBeforeTheUpgrade() {
        assertThatThrownBy(() -> client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/chat"), new Messages()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThat(lastHandshake.get()).isNull();
    }

    @Test
    void onRoutesWithoutWebsocketAnUpgradeIsPlainHttpWithoutItsUpgradeHeaders() throws Exception {
        assertThatThrownBy(() -> client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/plain"), new Messages()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(200));
        TestUpstream.Recorded seen = plain.takeRequest();
        assertThat(seen.header("upgrade")).isNull();
        assertThat(seen.header("connection")).isNotEqualToIgnoringCase("upgrade");
    }

    @Test
    void closingTheClientConnectionClosesTheUpstreamOne() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = client.newWebSocketBuilder().header("X-Api-Key", KEY)
                .buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/chat"), messages).get(10, TimeUnit.SECONDS);
        ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.next()).isEqualTo("echo:ping");
        assertThat(upstreamConnectionsOpen.get()).isEqualTo(1);

        ws.abort(); // closes the TCP connection without a close handshake
        await(() -> upstreamConnectionsOpen.get() == 0);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Collects whole text messages (the JDK delivers large ones in parts). */
    private static final class Messages implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String message = received.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }
    }
}

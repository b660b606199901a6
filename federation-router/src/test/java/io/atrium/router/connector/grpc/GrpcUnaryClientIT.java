package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GrpcUnaryClient} against a real grpc-java server over loopback: answers, metadata, statuses with their
 * details, deadlines (the server sees the call cancelled), servers that are not there or do not speak gRPC, a server
 * replaced on the same port (GOAWAY, then a new connection), and answers delivered on the calling event loop.
 */
class GrpcUnaryClientIT {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private static MethodDescriptor<byte[], byte[]> method(String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("test.Echo/" + name).setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
    private final CountDownLatch slowCancelled = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger echoes = new java.util.concurrent.atomic.AtomicInteger();
    private Server server;
    private GrpcUnaryClient client;

    private Server start(int port, String reply) throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service(reply))
                .build().start();
    }

    private ServerServiceDefinition service(String reply) {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(method("Echo"), ServerCalls.asyncUnaryCall((request, answer) -> {
                    echoes.incrementAndGet();
                    answer.onNext((reply + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    answer.onCompleted();
                }))
                .addMethod(method("Fail"), ServerCalls.asyncUnaryCall((request, answer) -> {
                    com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(5)
                            .setMessage("no order 42: 100% gone")
                            .addDetails(com.google.protobuf.Any.pack(ErrorInfo.newBuilder().setReason("ORDER_UNKNOWN")
                                    .setDomain("orders.example").build()))
                            .build();
                    answer.onError(StatusProto.toStatusRuntimeException(status));
                }))
                .addMethod(method("Slow"), ServerCalls.asyncUnaryCall((request, answer) ->
                        Context.current().addListener(context -> slowCancelled.countDown(), Runnable::run)))
                .build();
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                              ServerCallHandler<Q, R> next) {
                lastHeaders.set(metadata);
                return next.startCall(call, metadata);
            }
        };
        return ServerInterceptors.intercept(echo, headers);
    }

    @BeforeEach
    void startServer() throws IOException {
        server = start(0, "echo:");
        client = new GrpcUnaryClient("127.0.0.1:" + server.getPort(), null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private GrpcUnaryClient.Reply call(GrpcUnaryClient on, String method, String body, long timeoutMillis) {
        return on.call("/test.Echo/" + method, body.getBytes(StandardCharsets.UTF_8),
                List.of(Map.entry("x-request-id", "r-1"), Map.entry("authorization", "Bearer t")),
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis)).toCompletableFuture().join();
    }

    @Test
    void anAnswerAndTheMetadataArrive() {
        GrpcUnaryClient.Reply reply = call(client, "Echo", "hello", 5_000);
        assertThat(reply.status()).isZero();
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("echo:hello");
        Metadata seen = lastHeaders.get();
        assertThat(seen.get(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("r-1");
        assertThat(seen.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("Bearer t");
        // many calls share the connection, concurrently
        List<CompletableFuture<GrpcUnaryClient.Reply>> many = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> client.call("/test.Echo/Echo", ("n" + i).getBytes(StandardCharsets.UTF_8), List.of(),
                        TimeUnit.SECONDS.toNanos(5)).toCompletableFuture()).toList();
        for (int i = 0; i < many.size(); i++) {
            assertThat(new String(many.get(i).join().body(), StandardCharsets.UTF_8)).isEqualTo("echo:n" + i);
        }
    }

    @Test
    void messagesLargerThanTheFlowControlWindowsGoBothWays() {
        // 300 KB each way: beyond HTTP/2's 64 KB initial windows and 16 KB frames, so the answer arrives only if the
        // client returns flow-control credit as it reads
        String big = "x".repeat(300 * 1024);
        for (int i = 0; i < 3; i++) { // the connection window is shared: it must be replenished across calls
            GrpcUnaryClient.Reply reply = call(client, "Echo", big, 5_000);
            assertThat(reply.status()).isZero();
            assertThat(reply.body()).hasSize("echo:".length() + big.length());
        }
    }

    @Test
    void aStatusComesWithItsDecodedMessageAndDetails() throws Exception {
        GrpcUnaryClient.Reply reply = call(client, "Fail", "x", 5_000);
        assertThat(reply.status()).isEqualTo(Status.Code.NOT_FOUND.value());
        assertThat(reply.message()).isEqualTo("no order 42: 100% gone");
        assertThat(reply.body()).isNull();
        com.google.rpc.Status details = com.google.rpc.Status.parseFrom(reply.details());
        assertThat(details.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("ORDER_UNKNOWN");
        GrpcUnaryClient.Reply unknown = call(client, "Missing", "x", 5_000);
        assertThat(unknown.status()).isEqualTo(Status.Code.UNIMPLEMENTED.value());
    }

    @Test
    void aCallPastItsDeadlineFailsAndIsCancelledAtTheServer() throws Exception {
        long started = System.nanoTime();
        GrpcUnaryClient.Reply reply = call(client, "Slow", "x", 300);
        assertThat(reply.status()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 4_000L);
        assertThat(slowCancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(call(client, "Echo", "after", 5_000).status()).isZero(); // the connection is still good
    }

    @Test
    void noServerOrNotGrpcIsUnavailableNotAHang() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        try (GrpcUnaryClient nobody = new GrpcUnaryClient("127.0.0.1:" + free, null)) {
            assertThat(call(nobody, "Echo", "x", 5_000).status()).isEqualTo(Status.Code.UNAVAILABLE.value());
        }
        // a server that answers HTTP/1.1 and closes
        try (ServerSocket http1 = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = http1.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test fails on the call's outcome
                }
            });
            try (GrpcUnaryClient wrong = new GrpcUnaryClient("127.0.0.1:" + http1.getLocalPort(), null)) {
                GrpcUnaryClient.Reply reply = call(wrong, "Echo", "x", 5_000);
                assertThat(reply.status()).isEqualTo(Status.Code.UNAVAILABLE.value());
            }
        }
    }

    @Test
    void aServerReplacedOnItsPortIsReachedOnANewConnection() throws Exception {
        assertThat(new String(call(client, "Echo", "one", 5_000).body(), StandardCharsets.UTF_8)).isEqualTo("echo:one");
        int port = server.getPort();
        server.shutdown().awaitTermination(5, TimeUnit.SECONDS); // GOAWAY, then the connection closes
        server = start(port, "second:");
        GrpcUnaryClient.Reply reply = call(client, "Echo", "two", 5_000);
        if (reply.status() == Status.Code.UNAVAILABLE.value()) { // the close raced the call: the next one reconnects
            reply = call(client, "Echo", "two", 5_000);
        }
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("second:two");
    }

    @Test
    void aConnectionTheServerSaidGoawayOnIsClosedOnceItsCallsAreAnsweredAndTheNextCallGoesOnANewOne() throws Exception {
        // a server that answers, then says GOAWAY and leaves the connection open (the client is to close it)
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch firstClosed = new CountDownLatch(1);
        try {
            io.netty.channel.Channel listener = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
                        @Override
                        protected void initChannel(io.netty.channel.Channel channel) {
                            if (accepted.incrementAndGet() == 1) {
                                channel.closeFuture().addListener(closed -> firstClosed.countDown());
                            }
                            channel.pipeline().addLast(io.netty.handler.codec.http2.Http2FrameCodecBuilder.forServer()
                                    .build(), new AnswerThenGoAway());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            try (GrpcUnaryClient going = new GrpcUnaryClient("127.0.0.1:" + port, null)) {
                assertThat(new String(call(going, "Echo", "one", 5_000).body(), StandardCharsets.UTF_8)).isEqualTo("ok");
                assertThat(firstClosed.await(5, TimeUnit.SECONDS)).as("the client closed the drained connection").isTrue();
                assertThat(new String(call(going, "Echo", "two", 5_000).body(), StandardCharsets.UTF_8)).isEqualTo("ok");
                assertThat(accepted).hasValue(2);
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Answers each unary call with "ok", then sends GOAWAY (its last stream id: the call's) and keeps the connection. */
    private static final class AnswerThenGoAway extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof io.netty.handler.codec.http2.Http2DataFrame data && data.isEndStream()) {
                    var stream = data.stream();
                    ctx.write(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(
                            new io.netty.handler.codec.http2.DefaultHttp2Headers().status("200")
                                    .add("content-type", "application/grpc")).stream(stream));
                    ctx.write(new io.netty.handler.codec.http2.DefaultHttp2DataFrame(ctx.alloc().buffer()
                            .writeByte(0).writeInt(2).writeBytes("ok".getBytes(StandardCharsets.US_ASCII))).stream(stream));
                    ctx.write(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(
                            new io.netty.handler.codec.http2.DefaultHttp2Headers().add("grpc-status", "0"), true)
                            .stream(stream));
                    ctx.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame(
                            io.netty.handler.codec.http2.Http2Error.NO_ERROR));
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }
    }

    @Test
    void aCallWaitingForAStreamWhoseDeadlinePassesIsNeverSent() throws Exception {
        // a server that takes one call at a time per connection: Slow holds the only stream until its deadline
        Server one = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxConcurrentCallsPerConnection(1).addService(service("one:")).build().start();
        try (GrpcUnaryClient limited = new GrpcUnaryClient("127.0.0.1:" + one.getPort(), null)) {
            assertThat(call(limited, "Echo", "first", 5_000).status()).isZero(); // the server's settings are known
            CompletableFuture<GrpcUnaryClient.Reply> slow = limited.call("/test.Echo/Slow", new byte[0], List.of(),
                    TimeUnit.MILLISECONDS.toNanos(1_500)).toCompletableFuture();
            GrpcUnaryClient.Reply late = call(limited, "Echo", "late", 200); // waits for the stream Slow holds
            assertThat(late.status()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
            assertThat(slow.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
            GrpcUnaryClient.Reply next = call(limited, "Echo", "next", 5_000);
            assertThat(new String(next.body(), StandardCharsets.UTF_8)).isEqualTo("one:next");
            assertThat(echoes).as("the expired call never reached the server").hasValue(2);
        } finally {
            one.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAnswerArrivesOnTheCallingEventLoop() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
            loops.next().execute(() -> {
                loopThread.set(Thread.currentThread());
                client.call("/test.Echo/Echo", new byte[0], List.of(), TimeUnit.SECONDS.toNanos(5))
                        .thenAccept(reply -> answeredOn.complete(Thread.currentThread()));
            });
            assertThat(answeredOn.get(5, TimeUnit.SECONDS)).isSameAs(loopThread.get());
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyHeadersEveryCallRepeatsAreIndexedByHpack() {
        for (String perCall : List.of("grpc-timeout", "authorization", "x-request-id", "traceparent", "x-tenant")) {
            assertThat(GrpcUnaryClient.neverIndexed(perCall, "v")).as(perCall).isTrue();
        }
        for (String repeated : List.of(":path", ":authority", "content-type", "te", "user-agent")) {
            assertThat(GrpcUnaryClient.neverIndexed(repeated, "v")).as(repeated).isFalse();
        }
    }

    @Test
    void timeoutsAreWrittenAsGrpcDoes() {
        assertThat(GrpcUnaryClient.timeout(1_500_000_000L)).isEqualTo("1500000u");
        assertThat(GrpcUnaryClient.timeout(500_000_000_000L)).isEqualTo("500000m");
        assertThat(GrpcUnaryClient.timeout(999L)).isEqualTo("999n");
        assertThat(GrpcUnaryClient.fromHttp(503)).isEqualTo(Status.Code.UNAVAILABLE.value());
        assertThat(GrpcUnaryClient.fromHttp(404)).isEqualTo(Status.Code.UNIMPLEMENTED.value());
    }
}

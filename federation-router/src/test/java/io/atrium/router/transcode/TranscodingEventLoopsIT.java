package io.atrium.router.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.google.protobuf.DynamicMessage;
import io.atrium.examples.RunningService;
import io.atrium.examples.payments.PaymentsServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transcoder's calls stay on the event loop of their HTTP connection: each loop has a channel of its own per
 * backend, a call started on a loop is answered on that loop, and callers outside the loops (the reload thread's
 * reflection) still get a working channel. Against the real example payments service over loopback.
 */
class TranscodingEventLoopsIT {
    private static final String CONFIG = """
            format_version: 1
            host: 127.0.0.1
            port: 0
            backends:
              payments:
                target: 127.0.0.1:%d
                descriptor_set: classpath:META-INF/atrium/protos/atrium.desc
            """;
    private static RunningService payments;
    private static EventLoopGroup loops;
    private static GrpcBackend backend;
    private static Route getPayment;

    @BeforeAll
    static void start() throws Exception {
        payments = PaymentsServer.start("127.0.0.1", 0);
        boolean epoll = Epoll.isAvailable();
        loops = epoll ? new EpollEventLoopGroup(2) : new NioEventLoopGroup(2);
        TranscodingConfig config = TranscodingConfigLoader.parse(CONFIG.formatted(payments.port()),
                Files.createTempDirectory("transcoding-loops"));
        backend = new GrpcBackend("payments", config.backends().get("payments"), loops,
                epoll ? EpollSocketChannel.class : NioSocketChannel.class);
        getPayment = backend.load().routes().stream()
                .filter(route -> route.selector().equals("atrium.payments.v1.Payments.GetPayment")).findFirst().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (payments != null) {
            payments.close();
        }
    }

    private static DynamicMessage request(String id) {
        var input = getPayment.method().getInputType();
        return DynamicMessage.newBuilder(input).setField(input.findFieldByName("payment_id"), id).build();
    }

    @Test
    void aCallStartedOnALoopIsAnsweredOnThatLoopThroughTheLoopsOwnChannel() throws Exception {
        Map<ManagedChannel, EventExecutor> owners = new IdentityHashMap<>();
        for (EventExecutor loop : loops) {
            ManagedChannel channel = backend.channel(loop);
            owners.put(channel, loop);
            CompletableFuture<String> answered = new CompletableFuture<>();
            loop.execute(() -> {
                ClientCall<DynamicMessage, DynamicMessage> call = channel.newCall(getPayment.grpcMethod(),
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
                call.start(new ClientCall.Listener<>() {
                    private String id;

                    @Override
                    public void onMessage(DynamicMessage message) {
                        id = (String) message.getField(message.getDescriptorForType().findFieldByName("id"));
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        answered.complete(status.getCode() + " " + id + " on its loop: " + loop.inEventLoop());
                    }
                }, new Metadata());
                call.sendMessage(request("pay_1001"));
                call.halfClose();
                call.request(2);
            });
            assertThat(answered.get(10, TimeUnit.SECONDS)).isEqualTo("OK pay_1001 on its loop: true");
        }
        assertThat(owners).as("one channel per loop").hasSize(2);
    }

    @Test
    void aCallerOutsideTheLoopsGetsAWorkingChannel() {
        DynamicMessage answer = ClientCalls.blockingUnaryCall(backend.channel(GlobalEventExecutor.INSTANCE),
                getPayment.grpcMethod(), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request("pay_1002"));
        assertThat(answer.getField(answer.getDescriptorForType().findFieldByName("id"))).isEqualTo("pay_1002");
    }

    @Test
    void concurrentHttpConnectionsOnEveryLoopAllGetTheirAnswer() throws Exception {
        Path dir = Files.createTempDirectory("transcoding-loops-http");
        try (Transcoder transcoder = Transcoder.start(TranscodingConfigLoader.parse(CONFIG.formatted(payments.port()), dir))) {
            URI uri = URI.create("http://127.0.0.1:" + transcoder.port() + "/v1/payments/pay_1001");
            List<HttpClient> clients = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int c = 0; c < 8; c++) { // a client each: 8 connections, spread over the loops
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                clients.add(client);
                for (int i = 0; i < 25; i++) {
                    answers.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
                }
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JsonParser.parseString(response.body()).getAsJsonObject().get("id").getAsString())
                        .isEqualTo("pay_1001");
            }
            clients.forEach(HttpClient::close);
        }
    }
}

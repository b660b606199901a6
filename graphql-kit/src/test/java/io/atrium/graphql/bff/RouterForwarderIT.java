package io.atrium.graphql.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.atrium.graphql.http.ClientInfo;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.ResponseFormat;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The BFF's calls to several router instances over loopback: failover only when nothing was sent. */
class RouterForwarderIT {
    private HttpServer live;
    private final AtomicInteger liveCalls = new AtomicInteger();
    private ServerSocket resetting;
    private final AtomicInteger resetCalls = new AtomicInteger();
    private Thread resetter;

    @BeforeEach
    void start() throws Exception {
        live = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        live.createContext("/graphql", exchange -> {
            exchange.getRequestBody().readAllBytes();
            liveCalls.incrementAndGet();
            byte[] answer = "{\"data\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        live.start();
        // reads the request, then closes without answering: the request reached it
        resetting = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        resetter = Thread.ofVirtual().start(() -> {
            while (!resetting.isClosed()) {
                try (Socket socket = resetting.accept()) {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    if (in.read(buffer) > 0) {
                        resetCalls.incrementAndGet();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        live.stop(0);
        resetting.close();
        resetter.join(TimeUnit.SECONDS.toMillis(2));
    }

    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static URI graphql(int port) {
        return URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    private static RouterForwarder.Answer forward(List<URI> urls) {
        try (RouterForwarder forwarder = new RouterForwarder(new BffConfig.Router(urls, 3_000))) {
            GraphQLHttpRequest request = new GraphQLHttpRequest("mutation { pay }", null, Map.of(), Map.of(), null,
                    false, ResponseFormat.JSON, ClientInfo.UNKNOWN);
            return forwarder.forward(request, name -> null, "bff-test").toCompletableFuture().join();
        }
    }

    @Test
    void aRouterThatCannotBeConnectedToIsSkippedForTheNext() throws Exception {
        int dead = deadPort();
        for (int i = 0; i < 4; i++) { // a new forwarder starts at the first URL: the dead one
            RouterForwarder.Answer answer = forward(List.of(graphql(dead), graphql(live.getAddress().getPort())));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"ok\":true");
        }
        assertThat(liveCalls.get()).isEqualTo(4);
    }

    @Test
    void aRequestThatReachedARouterIsNeverSentToAnother() {
        assertThatThrownBy(() -> forward(List.of(graphql(resetting.getLocalPort()), graphql(resetting.getLocalPort()),
                graphql(live.getAddress().getPort()))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RouterForwarder.RouterUnavailable.class);
        // the one that took it and hung up may have run it: a mutation must not run twice, so nobody else got it
        assertThat(resetCalls.get()).isEqualTo(1);
        assertThat(liveCalls.get()).isZero();
    }

    @Test
    void withEveryRouterDownTheCallFails() throws Exception {
        assertThatThrownBy(() -> forward(List.of(graphql(deadPort()), graphql(deadPort()))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RouterForwarder.RouterUnavailable.class);
    }
}

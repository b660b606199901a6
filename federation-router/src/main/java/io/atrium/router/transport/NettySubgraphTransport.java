package io.atrium.router.transport;

import io.atrium.graphql.transport.LoopHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GraphQL over HTTP/1.1 to subgraphs on Netty, on the event loop that is already handling the client's request
 * (shared-policies' {@link LoopHttpClient}): the router's HTTP server runs its requests on Netty event loops, so a
 * fetch uses that loop's own keep-alive connections to the subgraph, and its response is parsed and handed on (merged,
 * the next fetches started, and after the last one the client's answer written) on the same thread. Requests marked
 * {@link SubgraphRequest#h2c()} (the JDK client offers the HTTP/1.1 {@code Upgrade: h2c} handshake) and {@code https}
 * subgraphs go to the JDK client ({@link HttpSubgraphTransport}). A request is sent at most once; failures are
 * {@link SubgraphFetchException}s carrying how far the request got.
 */
public final class NettySubgraphTransport implements SubgraphTransport, AutoCloseable {
    private final LoopHttpClient client = new LoopHttpClient("atrium-subgraph-client", SubgraphFetchException::new);
    /** For h2c and https subgraphs; created on first use (its clients start selector threads). */
    private final LoopHttpClient.Lazy<HttpSubgraphTransport> jdk = new LoopHttpClient.Lazy<>(() -> new HttpSubgraphTransport(1));

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        if (request.h2c() || !"http".equalsIgnoreCase(request.url().getScheme())) {
            return jdk.get().fetch(request);
        }
        FullHttpRequest http;
        try {
            http = encode(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SubgraphFetchException(
                    "HTTP fetch failed from '" + request.subgraphName() + "': " + e.getMessage(), e));
        }
        return client.send(request.subgraphName(), request.url(), http, request.timeout(), response -> SubgraphResponses.parse(
                request.subgraphName(), response.status().code(), LoopHttpClient.bytes(response.content()),
                response.headers().contains(HttpHeaderNames.CACHE_CONTROL)
                        ? SubgraphResponses.cacheControl(response.headers().getAll(HttpHeaderNames.CACHE_CONTROL))
                        : null));
    }

    /**
     * One plain HTTP/1.1 request to an {@code http} URL (a REST connector's backend call), on the calling event loop's
     * keep-alive connections as subgraph fetches are: sent at most once, failed with a {@link SubgraphFetchException}
     * carrying its {@code AttemptOutcome}.
     *
     * @param name    what the messages call the backend
     * @param headers request headers (Host and Content-Length are set here)
     * @param body    null for none
     */
    public CompletionStage<LoopHttpClient.Reply> exchange(String name, String method, URI url, Map<String, String> headers,
                                                          byte[] body, Duration timeout) {
        return client.exchange(name, method, url, headers, body, timeout);
    }

    /** {@link #exchange(String, String, URI, Map, byte[], Duration)} with the request target given apart from the origin. */
    public CompletionStage<LoopHttpClient.Reply> exchange(String name, String method, URI origin, String target,
                                                          Map<String, String> headers, byte[] body, Duration timeout) {
        return client.exchange(name, method, origin, target, headers, body, timeout);
    }

    private static FullHttpRequest encode(SubgraphRequest request) {
        ByteBuf content = Unpooled.wrappedBuffer(request.body());
        FullHttpRequest http = LoopHttpClient.newRequest(HttpMethod.POST, request.url(), content);
        HttpHeaders headers = http.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HttpHeaderNames.ACCEPT, "application/graphql-response+json, application/json");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        request.headers().forEach(headers::set);
        return http;
    }

    @Override
    public void close() {
        HttpSubgraphTransport jdkClient = jdk.ifCreated();
        if (jdkClient != null) {
            jdkClient.close();
        }
        client.close();
    }
}

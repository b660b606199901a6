package io.atrium.router.transport;

import io.atrium.policy.resilience.AttemptOutcome;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GraphQL over HTTP to subgraphs with the JDK client: non-blocking {@code sendAsync}, pooled keep-alive
 * HTTP/1.1 connections, a per-request timeout. Requests marked {@link SubgraphRequest#h2c()} go through a second
 * client that asks for HTTP/2: on http URLs the JDK sends the first request of each connection as HTTP/1.1 with
 * {@code Upgrade: h2c} and continues in HTTP/2 when the subgraph switches protocols (HTTP/1.1 otherwise); it has
 * no prior-knowledge mode.
 */
public final class HttpSubgraphTransport implements SubgraphTransport, AutoCloseable {
    private final HttpClient[] clients;
    private final AtomicInteger next = new AtomicInteger();
    /** On a client's selector thread: that client, so that a request's later fetches stay on the same thread. */
    private final ThreadLocal<HttpClient> affinity = new ThreadLocal<>();
    private final HttpClient http2;

    /**
     * HTTP/1.1 goes through one client per two cores, each on a direct executor: a response is handled (body
     * collected, JSON parsed, merged, and after the last fetch the client's answer written) on the selector thread
     * that read it, like on a Netty event loop, instead of being handed to a worker of the JDK's default executor (an
     * unbounded cached pool, which under load spreads the work over dozens of threads, each woken per response). That
     * work is non-blocking CPU work of some tens of microseconds. More than one client keeps it from being capped at
     * one thread on larger machines; the other half of the cores is left to the server's event loops (on 2 cores,
     * measured, one client costs less CPU per request than two). Fetches started on a client's selector thread (a
     * plan's later fetches) use that client, so a request stays on one thread without waking another selector; the
     * others (a plan's first fetches, started on the server's event loops) are spread over the clients round-robin.
     * Each client has its own keep-alive pool. HTTP/2 (h2c) keeps the JDK's default executor.
     */
    public HttpSubgraphTransport() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    HttpSubgraphTransport(int http1Clients) {
        this.clients = new HttpClient[http1Clients];
        for (int i = 0; i < http1Clients; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(Runnable::run)
                    .build();
        }
        this.http2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public CompletionStage<SubgraphResponse> fetch(SubgraphRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url())
                .timeout(request.timeout())
                .header("content-type", "application/json")
                .header("accept", "application/graphql-response+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        HttpRequest http = builder.build();
        HttpClient client = request.h2c() ? http2 : http1();
        return client.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (client != http2 && response != null && affinity.get() != client) {
                        affinity.set(client); // response handling runs on the selector thread of the client
                    }
                    if (failure != null) {
                        throw new CompletionException(toFetchException(request, failure));
                    }
                    return SubgraphResponses.parse(request.subgraphName(), response.statusCode(), response.body(),
                            SubgraphResponses.cacheControl(response.headers().allValues("cache-control")));
                });
    }

    private HttpClient http1() {
        HttpClient current = affinity.get();
        if (current != null) {
            return current;
        }
        return clients.length == 1 ? clients[0] : clients[Math.floorMod(next.getAndIncrement(), clients.length)];
    }

    private static SubgraphFetchException toFetchException(SubgraphRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String what = cause instanceof HttpTimeoutException ? "timed out after " + request.timeout().toMillis() + " ms"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        AttemptOutcome outcome = cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException
                ? AttemptOutcome.Failure.CONNECT_FAILED
                : cause instanceof HttpTimeoutException ? AttemptOutcome.Failure.PER_TRY_TIMEOUT
                : AttemptOutcome.Failure.RESET_BEFORE_RESPONSE;
        return new SubgraphFetchException("HTTP fetch failed from '" + request.subgraphName() + "': " + what, cause, outcome);
    }

    @Override
    public void close() {
        for (HttpClient client : clients) {
            client.close();
        }
        http2.close();
    }
}

package io.atrium.graphql.bff;

import io.atrium.graphql.http.BatchingConfig;
import io.atrium.graphql.http.EntityTags;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.graphql.transport.LoopHttpClient;
import io.atrium.policy.resilience.AttemptOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends a validated operation to the router: {@code POST /graphql} with the operation, the caller's credentials as the
 * app's {@code HeaderLookup} gives them (the edge's {@code X-Atrium-Assertion}, which the router verifies again, or a
 * bearer token a web session holds), trace context, and the app's name and version
 * ({@code apollographql-client-*} and {@code graphql-client-*}; the BFF's name when the app sent none). A request is
 * sent once: a failure is answered, never retried (a mutation must not run twice). Calls go over keep-alive HTTP/1.1
 * connections of the calling event loop ({@link LoopHttpClient}).
 */
final class RouterForwarder implements AutoCloseable {
    /** Request headers passed on as they came. */
    private static final List<String> PASSED = List.of("authorization", "x-atrium-assertion", "traceparent", "tracestate",
            "x-request-id");

    private final BffConfig.Router config;
    private final Duration timeout;
    /** On the event loop of the app's request where there is one (Netty servers): no thread hand-off per answer. */
    private final LoopHttpClient client = new LoopHttpClient("atrium-bff-router-client", RouterUnavailable::new);
    /** Rotates the first router instance tried when there are several. */
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    RouterForwarder(BffConfig.Router config) {
        this.config = config;
        this.timeout = Duration.ofMillis(config.timeoutMillis());
    }

    /**
     * The router's answer: status, body bytes, its {@code Cache-Control}, a batch's element lengths and the
     * {@code ETag} of a GET answer (else null).
     */
    record Answer(int status, byte[] body, String cacheControl, String batchLengths, String etag, ByteBuf wire) {
        Answer(int status, byte[] body, String cacheControl) {
            this(status, body, cacheControl, null, null, null);
        }

        /** Conservative: any {@code "errors"} key in the body counts (a field of that name makes it uncacheable too). */
        boolean hasErrors() {
            return wire != null ? !wire.isReadable() || EntityTags.containsErrorsKey(wire)
                    : body.length == 0 || EntityTags.containsErrorsKey(body);
        }

        int length() {
            return wire == null ? body.length : wire.readableBytes();
        }
    }

    CompletionStage<Answer> forward(GraphQLHttpRequest request, HeaderLookup headers, String bffName) {
        return forward(request, headers, bffName, false);
    }

    /**
     * @param wire keep the answer's body as it was read ({@link Answer#wire}, owned by the caller, which must write
     *             or release it) instead of copying it out: for an answer passed on as it is, on the caller's loop
     */
    CompletionStage<Answer> forward(GraphQLHttpRequest request, HeaderLookup headers, String bffName, boolean wire) {
        byte[] body = !request.variables().isEmpty() ? JsonWriter.write(body(request))
                : withoutVariables.get(new Operation(request.query(), request.operationName()),
                        operation -> JsonWriter.write(body(request)));
        return send(HttpMethod.POST, null, body, headers(request, headers, bffName), wire);
    }

    private record Operation(String query, String operationName) {
    }

    /** The POST bodies of operations without variables (an app's registered operations repeat): written once each. */
    private final com.github.benmanes.caffeine.cache.Cache<Operation, byte[]> withoutVariables =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1_000).build();

    /**
     * A query revalidated at the router: {@code GET /graphql?query=…} with the app's {@code If-None-Match}. The router
     * runs it and tags its answer as the BFF would ({@code EntityTags}); when the tag still matches it answers
     * {@code 304} without the body, which then crosses neither the router's socket nor the BFF's. A document too long
     * for a request line goes as an ordinary POST (the BFF tags that answer itself).
     */
    CompletionStage<Answer> revalidate(GraphQLHttpRequest request, HeaderLookup headers, String bffName,
                                       String ifNoneMatch) {
        StringBuilder query = new StringBuilder("query=").append(encode(request.query()));
        if (request.operationName() != null) {
            query.append("&operationName=").append(encode(request.operationName()));
        }
        if (!request.variables().isEmpty()) {
            query.append("&variables=").append(encode(new String(JsonWriter.write(request.variables()),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (query.length() > MAX_GET_QUERY) {
            return forward(request, headers, bffName);
        }
        HttpHeaders out = headers(request, headers, bffName);
        out.remove(HttpHeaderNames.CONTENT_TYPE);
        out.set("apollo-require-preflight", "true"); // not a browser's simple request (the router's CSRF check)
        out.set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
        return send(HttpMethod.GET, query.toString(), new byte[0], out, false);
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** Longest query string a revalidation sends (request lines are commonly limited to 8 KiB). */
    private static final int MAX_GET_QUERY = 6 * 1024;

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Several operations of one app request as one batched POST (a JSON array; the router's {@code batching} must be
     * on). The answer is the router's whole array with its elements' lengths ({@link BatchingConfig#LENGTHS_HEADER}).
     */
    CompletionStage<Answer> forwardBatch(List<GraphQLHttpRequest> requests, HeaderLookup headers, String bffName) {
        List<Map<String, Object>> bodies = new java.util.ArrayList<>(requests.size());
        for (GraphQLHttpRequest request : requests) {
            bodies.add(body(request));
        }
        return send(HttpMethod.POST, null, JsonWriter.write(bodies), headers(requests.getFirst(), headers, bffName), false);
    }

    private static Map<String, Object> body(GraphQLHttpRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", request.query());
        if (request.operationName() != null) {
            body.put("operationName", request.operationName());
        }
        if (!request.variables().isEmpty()) {
            body.put("variables", request.variables());
        }
        return body;
    }

    private static HttpHeaders headers(GraphQLHttpRequest request, HeaderLookup headers, String bffName) {
        String client = request.client().name() != null ? request.client().name() : bffName;
        HttpHeaders out = new DefaultHttpHeaders();
        out.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        out.set(HttpHeaderNames.ACCEPT, "application/json");
        out.set("apollographql-client-name", client);
        out.set("graphql-client-name", client);
        if (request.client().version() != null) {
            out.set("apollographql-client-version", request.client().version());
            out.set("graphql-client-version", request.client().version());
        }
        for (String name : PASSED) {
            String value = headers.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        return out;
    }

    /** @param query the request's query string (GET), null for none */
    private CompletionStage<Answer> send(HttpMethod method, String query, byte[] body, HttpHeaders headers,
                                         boolean wire) {
        List<URI> urls = config.urls();
        int first = urls.size() == 1 ? 0 : Math.floorMod(next.getAndIncrement(), urls.size());
        return send(method, query, body, headers, wire, urls, first, 0);
    }

    /**
     * One attempt at {@code urls[(first + tried) % n]}; when its connection could not be made (the request was never
     * written, so even a mutation may go elsewhere) the next router instance is tried, each at most once.
     */
    private CompletionStage<Answer> send(HttpMethod method, String query, byte[] body, HttpHeaders headers,
                                         boolean wire, List<URI> urls, int first, int tried) {
        URI url = urls.get((first + tried) % urls.size());
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpRequest http = LoopHttpClient.newRequest(method, url, content);
        if (query != null) {
            http.setUri(http.uri() + (http.uri().indexOf('?') < 0 ? "?" : "&") + query);
        }
        http.headers().add(headers);
        if (method == HttpMethod.POST) {
            http.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        CompletionStage<Answer> answer = client.send("router", url, http, timeout, response -> new Answer(
                response.status().code(), wire ? NO_BYTES : LoopHttpClient.bytes(response.content()),
                response.headers().get(HttpHeaderNames.CACHE_CONTROL),
                response.headers().get(BatchingConfig.LENGTHS_HEADER), response.headers().get(HttpHeaderNames.ETAG),
                wire ? response.content().retainedDuplicate() : null));
        if (tried + 1 >= urls.size()) {
            return answer;
        }
        return answer.handle((done, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(done);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : failure;
            if (cause instanceof RouterUnavailable unavailable
                    && unavailable.outcome == AttemptOutcome.Failure.CONNECT_FAILED) {
                return send(method, query, body, headers, wire, urls, first, tried + 1);
            }
            return CompletableFuture.<Answer>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    /** The router could not be reached, timed out or closed the connection (expected: no stack trace). */
    static final class RouterUnavailable extends RuntimeException {
        private final transient AttemptOutcome outcome;

        RouterUnavailable(String message, Throwable cause, AttemptOutcome outcome) {
            super(message, cause, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

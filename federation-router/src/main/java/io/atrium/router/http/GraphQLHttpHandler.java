package io.atrium.router.http;

import io.atrium.router.lifecycle.LiveSupergraph;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import io.atrium.graphql.identity.IdentityHeaderValues;
import io.atrium.graphql.identity.IdentityOutcome;
import io.atrium.policy.Identity;
import io.atrium.policy.identity.IdentityHeaders;
import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.graphql.http.BatchingConfig;
import io.atrium.graphql.http.EntityTags;
import io.atrium.graphql.http.GraphQLHttpParser;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HttpParseResult;
import io.atrium.graphql.http.ResponseFormat;
import io.atrium.graphql.trusted.DocumentResolution;
import io.atrium.router.execute.ErrorCodes;
import io.atrium.router.execute.SharedFetches;
import io.atrium.router.json.Json;
import io.atrium.router.observe.OperationRecord;
import io.atrium.router.observe.TraceContext;
import io.atrium.router.observe.Tracing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The router's Netty adapter for GraphQL over HTTP at {@code /graphql} — POST and GET decoded, content negotiated and
 * CSRF refused by graphql-kit's {@link GraphQLHttpParser}; the caller established (401 {@code UNAUTHENTICATED} for a
 * bad credential or bare identity headers); the document resolved by id or checked against the
 * client's trusted documents (and APQ) by its {@code DocumentResolver}; limit refusals are 400 whatever the format — and
 * {@code /health} (200 once a supergraph is live, 503 before).
 *
 * <p>One handler per connection. Requests on a connection are answered in order: a request that arrives while the
 * previous one is still executing (HTTP/1.1 pipelining) waits for it.
 */
final class GraphQLHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The lengths in bytes of a batch answer's elements, comma-separated, in order. */
    static final String BATCH_LENGTHS = BatchingConfig.LENGTHS_HEADER;
    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};

    private final GraphQLEndpoint manager;
    private final InFlight inFlight;
    private final EntityTags entityTags;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    GraphQLHttpHandler(GraphQLEndpoint manager, InFlight inFlight, EntityTags entityTags) {
        super(false);
        this.manager = manager;
        this.inFlight = inFlight;
        this.entityTags = entityTags;
    }

    /** Requests being answered, across the connections of one server: shutdown waits for them. */
    static final class InFlight {
        private int count;

        synchronized void begin() {
            count++;
        }

        synchronized void end() {
            if (--count == 0) {
                notifyAll();
            }
        }

        synchronized void awaitNone(long timeoutMillis) {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            long left;
            while (count > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (busy) {
            waiting.addLast(request);
            return;
        }
        busy = true;
        inFlight.begin();
        CompletionStage<FullHttpResponse> answer;
        try {
            answer = answer(ctx, request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        } finally {
            request.release();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        answer.whenComplete((response, failure) -> {
            FullHttpResponse out = response != null ? response : internalError();
            if (!keepAlive) {
                HttpUtil.setKeepAlive(out, false);
            }
            if (ctx.executor().inEventLoop()) {
                write(ctx, out);
            } else {
                ctx.executor().execute(() -> write(ctx, out));
            }
        });
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse response) {
        boolean close = !HttpUtil.isKeepAlive(response);
        var written = ctx.writeAndFlush(response);
        inFlight.end();
        busy = false;
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
            waiting.forEach(FullHttpRequest::release);
            waiting.clear();
            return;
        }
        FullHttpRequest next = waiting.pollFirst();
        if (next != null) {
            channelRead0(ctx, next);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close(); // an idle keep-alive connection
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // connection-level I/O errors (reset by peer and the like): nothing to answer
    }

    private CompletionStage<FullHttpResponse> answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            return done(json(status, ResponseFormat.JSON, errors("the HTTP request is malformed: " + status.reasonPhrase(),
                    ErrorCodes.BAD_REQUEST)));
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpMethod method = request.method();
        return switch (uri.path()) {
            case "/graphql" -> {
                CompletionStage<FullHttpResponse> graphql = method.equals(HttpMethod.POST) ? post(ctx, request)
                        : method.equals(HttpMethod.GET) ? get(ctx, request) : done(methodNotAllowed("GET, POST"));
                yield manager.config().cacheControl().enabled() ? graphql.thenApply(GraphQLHttpHandler::noStoreUnlessSet)
                        : graphql;
            }
            case "/health" -> method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                    ? done(health(method.equals(HttpMethod.HEAD))) : done(methodNotAllowed("GET, HEAD"));
            default -> done(json(HttpResponseStatus.NOT_FOUND, ResponseFormat.JSON,
                    errors("no such path: " + uri.path() + " (GraphQL is served at /graphql)", ErrorCodes.BAD_REQUEST)));
        };
    }

    /**
     * With {@code cache_control} on, every GraphQL answer says how it may be cached: a query's own policy, else (request
     * errors, refusals, mutations) {@code no-store}, since browsers heuristically keep GET answers that say nothing.
     */
    private static FullHttpResponse noStoreUnlessSet(FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        return response;
    }

    private FullHttpResponse health(boolean head) {
        LiveSupergraph live = manager.current();
        String body = live == null ? "{\"status\":\"DOWN\",\"reason\":\"no supergraph loaded\"}"
                : "{\"status\":\"UP\",\"supergraph\":\"" + live.supergraph().version() + "\",\"loaded_at\":\""
                + live.loadedAt() + "\"}";
        FullHttpResponse response = bytes(live == null ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                ResponseFormat.JSON.contentType(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (head) {
            response.content().clear();
        }
        return response;
    }

    private CompletionStage<FullHttpResponse> post(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        byte[] body = body(request.content());
        if (BatchingConfig.isBatch(body)) {
            return batch(ctx, headers, body);
        }
        return observed(headers, op -> execute(ctx, headers, GraphQLHttpParser.post(headers::get, body), op, null));
    }

    /**
     * A batch (a JSON array of requests, {@code batching.enabled}): every element runs as a request of its own (its own
     * operation record, limits, cost and authorization) concurrently, and the answer is the array of their answers in
     * order, {@code 200}, with a {@code Cache-Control} merged from theirs ({@code no-store} when one failed) and
     * {@value #BATCH_LENGTHS} giving each element's length in bytes, so a BFF can take the answers apart without
     * parsing them. A batch refused whole (batching off, empty, too large, not JSON) is one GraphQL error, 400.
     */
    private CompletionStage<FullHttpResponse> batch(ChannelHandlerContext ctx, HttpHeaders headers, byte[] body) {
        BatchingConfig batching = manager.config().endpoint().batching();
        if (!batching.enabled()) {
            return done(json(HttpResponseStatus.BAD_REQUEST, ResponseFormat.JSON, errors("this router does not accept "
                    + "batches (a JSON array of requests): send one request per POST, or enable batching in its config",
                    GraphQLErrorCodes.BATCHING_NOT_ENABLED)));
        }
        Object parsed;
        try {
            parsed = JsonReader.read(body);
        } catch (JsonSyntaxException e) {
            return done(json(HttpResponseStatus.BAD_REQUEST, ResponseFormat.JSON,
                    errors("the batch is not valid JSON: " + e.getMessage(), ErrorCodes.BAD_REQUEST)));
        }
        List<?> items = (List<?>) parsed;
        if (items.isEmpty() || items.size() > batching.maxOperations()) {
            return done(json(HttpResponseStatus.BAD_REQUEST, ResponseFormat.JSON, errors("a batch holds 1 to "
                    + batching.maxOperations() + " operations; this one has " + items.size(),
                    GraphQLErrorCodes.BATCH_LIMIT_EXCEEDED)));
        }
        boolean cacheControl = manager.config().cacheControl().enabled();
        manager.metrics().batch(items.size());
        SharedFetches shared = new SharedFetches();
        List<CompletableFuture<FullHttpResponse>> parts = new ArrayList<>(items.size());
        for (Object item : items) {
            parts.add(observed(headers, op -> execute(ctx, headers, GraphQLHttpParser.post(headers::get, item), op, shared))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            // the elements' bodies as they are, between brackets and commas (no copy)
            ByteBuf[] pieces = new ByteBuf[parts.size() * 2 + 1];
            List<String> policies = new ArrayList<>(parts.size());
            StringBuilder lengths = new StringBuilder();
            boolean failed = false;
            for (int i = 0; i < parts.size(); i++) {
                FullHttpResponse response = parts.get(i).isCompletedExceptionally() ? internalError() : parts.get(i).join();
                pieces[2 * i] = Unpooled.wrappedBuffer(i == 0 ? OPEN : COMMA);
                pieces[2 * i + 1] = response.content();
                lengths.append(i == 0 ? "" : ",").append(response.content().readableBytes());
                policies.add(response.headers().get(HttpHeaderNames.CACHE_CONTROL));
                failed |= response.status().code() != 200;
            }
            pieces[pieces.length - 1] = Unpooled.wrappedBuffer(CLOSE);
            ByteBuf out = Unpooled.wrappedBuffer(pieces.length, pieces);
            FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, out);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, ResponseFormat.JSON.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, out.readableBytes())
                    .set(BATCH_LENGTHS, lengths.toString());
            if (cacheControl) {
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, CacheControlMerge.merge(policies, failed));
            }
            return response;
        });
    }

    /** One {@link OperationRecord} per GraphQL request: its trace, then its meters and log line once answered. */
    private CompletionStage<FullHttpResponse> observed(HttpHeaders headers,
                                                       java.util.function.Function<OperationRecord, CompletionStage<FullHttpResponse>> run) {
        Tracing tracing = manager.tracing();
        // tracing off: no method reference built, the traceparent read as before
        OperationRecord op = new OperationRecord(tracing.enabled() ? tracing.start(headers::get)
                : TraceContext.continueOrStart(headers.get(TraceContext.HEADER)));
        CompletionStage<FullHttpResponse> answer;
        try (var logs = op.trace().logScope()) { // what the request logs on this loop names its trace
            answer = run.apply(op);
        }
        return answer.whenComplete((response, failure) ->
                op.finish(response == null ? 500 : response.status().code(), manager.metrics()));
    }

    private static byte[] body(ByteBuf content) {
        if (!content.isReadable()) {
            return null;
        }
        if (content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
                && content.array().length == content.readableBytes()) {
            return content.array();
        }
        return ByteBufUtil.getBytes(content);
    }

    private CompletionStage<FullHttpResponse> get(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        String uri = request.uri();
        int question = uri.indexOf('?');
        return observed(headers, op -> execute(ctx, headers,
                GraphQLHttpParser.get(headers::get, question < 0 ? null : uri.substring(question + 1)), op, null)
                .thenApply(response -> conditional(headers.get(HttpHeaderNames.IF_NONE_MATCH), response)));
    }

    /**
     * A GET's answer, when successful and free of errors, carries a strong {@code ETag} ({@link EntityTags}: the same
     * tag a BFF gives the same bytes); a request whose {@code If-None-Match} names it gets {@code 304} with the
     * answer's headers and no body (the operation still ran: the tag is of what it answers now).
     */
    private FullHttpResponse conditional(String ifNoneMatch, FullHttpResponse response) {
        if (response.status().code() != 200) {
            return response;
        }
        byte[] body = body(response.content());
        String etag = body == null ? null : entityTags.etag(body);
        if (etag == null) {
            return response;
        }
        response.headers().set(HttpHeaderNames.ETAG, etag);
        if (!EntityTags.matches(ifNoneMatch, etag)) {
            return response;
        }
        FullHttpResponse notModified = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
        // Content-Length stays: the length the 200 would have had (RFC 9110 §8.6), which keeps the connection open
        notModified.headers().set(response.headers()).remove(HttpHeaderNames.CONTENT_TYPE);
        response.release();
        return notModified;
    }

    /** @param shared the fetches of the client batch the request is an element of; null: a request of its own */
    private CompletionStage<FullHttpResponse> execute(ChannelHandlerContext ctx, HttpHeaders headers, HttpParseResult parsed,
                                                      OperationRecord op, SharedFetches shared) {
        if (parsed instanceof HttpParseResult.Refused refused) {
            return done(json(op, HttpResponseStatus.valueOf(refused.status()), refused.format(), refused.body()));
        }
        GraphQLHttpRequest sent = ((HttpParseResult.Parsed) parsed).request();
        op.operation(sent.operationName(), null);
        op.client(sent.client().name(), sent.client().version());
        return onLoop(ctx, op, manager.identity().resolve(headers::get), caller -> identified(ctx, headers, sent, caller, op, shared));
    }

    /**
     * Goes on with a stage's value: here when it is already complete (a cached token, a local document), else back on
     * this connection's event loop (a first key fetch or a Redis lookup finishes elsewhere), where the request's
     * subgraph connections live, as an event of its own whose lines name the request's trace.
     */
    private static <T> CompletionStage<FullHttpResponse> onLoop(ChannelHandlerContext ctx, OperationRecord op,
                                                               CompletionStage<T> stage,
                                                               java.util.function.Function<T, CompletionStage<FullHttpResponse>> next) {
        if (stage.toCompletableFuture().isDone()) {
            return stage.thenCompose(next);
        }
        return stage.thenComposeAsync(value -> {
            try (var logs = op.trace().logScope()) {
                return next.apply(value);
            }
        }, ctx.executor());
    }

    private CompletionStage<FullHttpResponse> identified(ChannelHandlerContext ctx, HttpHeaders headers,
                                                         GraphQLHttpRequest sent, IdentityOutcome caller, OperationRecord op,
                                                         SharedFetches shared) {
        if (caller instanceof IdentityOutcome.Refused refused) {
            FullHttpResponse response = json(op, HttpResponseStatus.UNAUTHORIZED, sent.format(),
                    errors(refused.message(), GraphQLErrorCodes.UNAUTHENTICATED));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"atrium\"");
            return done(response);
        }
        GraphQLHttpRequest client = sent;
        if (manager.config().endpoint().identity().clientFromConsumer()
                && caller instanceof IdentityOutcome.Verified verified && verified.identity().consumer() != null) {
            // identity.client: consumer — the verified caller names the client; a header cannot pick another one
            client = sent.withClient(new io.atrium.graphql.http.ClientInfo(verified.identity().consumer(),
                    sent.client().version()));
        }
        GraphQLHttpRequest request = client;
        return onLoop(ctx, op, manager.documents().resolve(request),
                resolution -> execute(ctx, headers, request, caller, resolution, op, shared));
    }

    private CompletionStage<FullHttpResponse> execute(ChannelHandlerContext ctx, HttpHeaders headers, GraphQLHttpRequest sent,
                                                      IdentityOutcome caller,
                                                      DocumentResolution resolution, OperationRecord op,
                                                      SharedFetches shared) {
        ResponseFormat format = sent.format();
        if (resolution instanceof DocumentResolution.Refused refused) {
            FullHttpResponse response = json(op, HttpResponseStatus.valueOf(refused.status()), format,
                    errors(refused.message(), refused.code()));
            refused.headers().forEach((name, value) -> response.headers().set(name, value));
            return done(response);
        }
        GraphQLHttpRequest http = sent.withQuery(((DocumentResolution.Resolved) resolution).query());
        op.operation(http.operationName(), http.query());
        LiveSupergraph live = manager.current();
        if (live == null) {
            return done(json(op, HttpResponseStatus.SERVICE_UNAVAILABLE, format,
                    errors("no supergraph is loaded yet", ErrorCodes.SUPERGRAPH_NOT_LOADED)));
        }
        String planHeader = manager.config().planHeader();
        boolean wantsPlan = planHeader != null && headers.contains(planHeader);
        String labelHeader = manager.config().overrideLabelHeader();
        Map<String, String> forwarded = new LinkedHashMap<>();
        Identity identity = caller instanceof IdentityOutcome.Verified verified ? verified.identity() : null;
        for (String name : manager.config().propagatedHeaders()) {
            String value = IdentityHeaderValues.isDerived(name) ? IdentityHeaderValues.value(identity, name) : headers.get(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        GraphQLRequest request = new GraphQLRequest(http.query(), http.operationName(), http.variables(), http.get(),
                wantsPlan, live.overrideLabels(labelHeader == null ? null : headers.get(labelHeader)), forwarded,
                http.client().name(), identity, op.trace(), identity != null
                || headers.contains(HttpHeaderNames.AUTHORIZATION) || headers.contains(IdentityHeaders.ASSERTION), shared);
        return manager.handler().handle(live, request, ctx.executor()).thenApply(outcome -> {
            op.subgraphCalls(outcome.subgraphCalls());
            HttpResponseStatus status = switch (outcome.kind()) {
                case EXECUTED -> HttpResponseStatus.OK;
                case REQUEST_ERROR -> HttpResponseStatus.valueOf(format.requestErrorStatus());
                case REFUSED -> HttpResponseStatus.BAD_REQUEST;
                case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
                case METHOD_NOT_ALLOWED -> HttpResponseStatus.METHOD_NOT_ALLOWED;
                case RATE_LIMITED -> HttpResponseStatus.TOO_MANY_REQUESTS;
                case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            };
            FullHttpResponse response = json(op, status, format, outcome.body());
            if (outcome.cacheControl() != null) {
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, outcome.cacheControl());
            }
            outcome.headers().forEach((name, value) -> response.headers().set(name, value));
            if (outcome.kind() == GraphQLOutcome.Kind.METHOD_NOT_ALLOWED) {
                response.headers().set(HttpHeaderNames.ALLOW, "POST");
            }
            return response;
        });
    }

    private static Map<String, Object> errors(String message, String code) {
        return GraphQLErrors.body(message, code);
    }

    private static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse response = json(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseFormat.JSON,
                errors("method not allowed here; allowed: " + allow, ErrorCodes.METHOD_NOT_ALLOWED));
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse internalError() {
        return json(HttpResponseStatus.INTERNAL_SERVER_ERROR, ResponseFormat.JSON,
                errors("the router failed to answer this request (internal error; see the router log)",
                        ErrorCodes.INTERNAL_SERVER_ERROR));
    }

    /** A GraphQL response whose error codes go in the request's operation record. */
    private static FullHttpResponse json(OperationRecord op, HttpResponseStatus status, ResponseFormat format,
                                         Map<String, Object> body) {
        op.errors(body);
        return json(status, format, body);
    }

    private static FullHttpResponse json(HttpResponseStatus status, ResponseFormat format, Map<String, Object> body) {
        return bytes(status, format.contentType(), Json.write(body));
    }

    private static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}

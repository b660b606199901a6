package io.atrium.router.http;

import io.atrium.router.execute.ErrorCodes;
import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
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
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GraphQL over HTTP at {@code /graphql} — POST (JSON body) and GET (queries only), content negotiation between
 * {@code application/graphql-response+json} (4xx for request errors) and {@code application/json} (200), CSRF
 * prevention for browser "simple requests" — and {@code /health} (200 once a supergraph is live, 503 before).
 *
 * <p>One handler per connection. Requests on a connection are answered in order: a request that arrives while the
 * previous one is still executing (HTTP/1.1 pipelining) waits for it.
 */
final class GraphQLHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    private static final String APPLICATION_JSON = "application/json";
    private static final Set<String> SIMPLE_CONTENT_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    private static final List<String> PREFLIGHT_HEADERS = List.of("apollo-require-preflight", "x-apollo-operation-name");

    private final SupergraphManager manager;
    private final InFlight inFlight;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    GraphQLHttpHandler(SupergraphManager manager, InFlight inFlight) {
        super(false);
        this.manager = manager;
        this.inFlight = inFlight;
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
            answer = answer(request);
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

    private CompletionStage<FullHttpResponse> answer(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            return done(json(status, false, errors("the HTTP request is malformed: " + status.reasonPhrase(),
                    ErrorCodes.BAD_REQUEST)));
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpMethod method = request.method();
        return switch (uri.path()) {
            case "/graphql" -> {
                if (method.equals(HttpMethod.POST)) {
                    yield post(request);
                }
                if (method.equals(HttpMethod.GET)) {
                    yield get(request, uri);
                }
                yield done(methodNotAllowed("GET, POST"));
            }
            case "/health" -> method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                    ? done(health(method.equals(HttpMethod.HEAD))) : done(methodNotAllowed("GET, HEAD"));
            default -> done(json(HttpResponseStatus.NOT_FOUND, false,
                    errors("no such path: " + uri.path() + " (GraphQL is served at /graphql)", ErrorCodes.BAD_REQUEST)));
        };
    }

    private FullHttpResponse health(boolean head) {
        LiveSupergraph live = manager.current();
        String body = live == null ? "{\"status\":\"DOWN\",\"reason\":\"no supergraph loaded\"}"
                : "{\"status\":\"UP\",\"supergraph\":\"" + live.supergraph().version() + "\",\"loaded_at\":\""
                + live.loadedAt() + "\"}";
        FullHttpResponse response = bytes(live == null ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                APPLICATION_JSON, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (head) {
            response.content().clear();
        }
        return response;
    }

    private CompletionStage<FullHttpResponse> post(FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        boolean graphqlResponse = wantsGraphQLResponse(headers);
        if (isSimpleRequest(headers)) {
            return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse, csrfError()));
        }
        ByteBuf content = request.content();
        Object parsed;
        try {
            parsed = content.isReadable() ? Json.read(body(content)) : null;
        } catch (JsonException e) {
            return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse, errors(e.getMessage(), ErrorCodes.BAD_REQUEST)));
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse,
                    errors("the body must be a JSON object with 'query'", ErrorCodes.BAD_REQUEST)));
        }
        return execute(headers, json.get("query"), json.get("operationName"), json.get("variables"), false, graphqlResponse);
    }

    private static byte[] body(ByteBuf content) {
        if (content.hasArray() && content.arrayOffset() == 0 && content.readerIndex() == 0
                && content.array().length == content.readableBytes()) {
            return content.array();
        }
        return ByteBufUtil.getBytes(content);
    }

    private CompletionStage<FullHttpResponse> get(FullHttpRequest request, QueryStringDecoder uri) {
        HttpHeaders headers = request.headers();
        boolean graphqlResponse = wantsGraphQLResponse(headers);
        if (isSimpleRequest(headers)) {
            return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse, csrfError()));
        }
        Map<String, List<String>> params = uri.parameters();
        Object variables = null;
        String rawVariables = first(params, "variables");
        if (rawVariables != null && !rawVariables.isBlank()) {
            try {
                variables = Json.read(rawVariables);
            } catch (JsonException e) {
                return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse,
                        errors("'variables' is not valid JSON: " + e.getMessage(), ErrorCodes.BAD_REQUEST)));
            }
        }
        return execute(headers, first(params, "query"), first(params, "operationName"), variables, true, graphqlResponse);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<FullHttpResponse> execute(HttpHeaders headers, Object query, Object operationName,
                                                      Object variables, boolean get, boolean graphqlResponse) {
        LiveSupergraph live = manager.current();
        if (live == null) {
            return done(json(HttpResponseStatus.SERVICE_UNAVAILABLE, graphqlResponse,
                    errors("no supergraph is loaded yet", ErrorCodes.SUPERGRAPH_NOT_LOADED)));
        }
        if (!(query instanceof String) || (operationName != null && !(operationName instanceof String))
                || (variables != null && !(variables instanceof Map<?, ?>))) {
            return done(json(HttpResponseStatus.BAD_REQUEST, graphqlResponse, errors(
                    "'query' must be a string, 'operationName' a string and 'variables' an object", ErrorCodes.BAD_REQUEST)));
        }
        String planHeader = manager.config().planHeader();
        boolean wantsPlan = planHeader != null && headers.contains(planHeader);
        String labelHeader = manager.config().overrideLabelHeader();
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String name : manager.config().propagatedHeaders()) {
            String value = headers.get(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        GraphQLRequest request = new GraphQLRequest((String) query, (String) operationName,
                (Map<String, Object>) variables, get, wantsPlan,
                live.overrideLabels(labelHeader == null ? null : headers.get(labelHeader)), forwarded);
        return manager.handler().handle(live, request).thenApply(outcome -> {
            HttpResponseStatus status = switch (outcome.kind()) {
                case EXECUTED -> HttpResponseStatus.OK;
                case REQUEST_ERROR -> graphqlResponse ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.OK;
                case METHOD_NOT_ALLOWED -> HttpResponseStatus.METHOD_NOT_ALLOWED;
            };
            FullHttpResponse response = json(status, graphqlResponse, outcome.body());
            if (outcome.kind() == GraphQLOutcome.Kind.METHOD_NOT_ALLOWED) {
                response.headers().set(HttpHeaderNames.ALLOW, "POST");
            }
            return response;
        });
    }

    /** A request a browser may send cross-origin without a preflight: refuse it (CSRF). */
    private static boolean isSimpleRequest(HttpHeaders headers) {
        for (String header : PREFLIGHT_HEADERS) {
            if (headers.contains(header)) {
                return false;
            }
        }
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null) {
            return true;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return SIMPLE_CONTENT_TYPES.contains(essence);
    }

    private static boolean wantsGraphQLResponse(HttpHeaders headers) {
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(GRAPHQL_RESPONSE_JSON);
    }

    private static Map<String, Object> csrfError() {
        return errors("This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). "
                + "Send a 'Content-Type' other than text/plain, application/x-www-form-urlencoded or multipart/form-data, "
                + "or a non-empty 'apollo-require-preflight' or 'x-apollo-operation-name' header.", ErrorCodes.CSRF_PREVENTED);
    }

    private static Map<String, Object> errors(String message, String code) {
        return Map.of("errors", List.of(GraphQLHandler.error(message, code, null)));
    }

    private static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse response = json(HttpResponseStatus.METHOD_NOT_ALLOWED, false,
                errors("method not allowed here; allowed: " + allow, ErrorCodes.METHOD_NOT_ALLOWED));
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse internalError() {
        return json(HttpResponseStatus.INTERNAL_SERVER_ERROR, false,
                errors("the router failed to answer this request (internal error; see the router log)",
                        ErrorCodes.INTERNAL_SERVER_ERROR));
    }

    private static FullHttpResponse json(HttpResponseStatus status, boolean graphqlResponse, Map<String, Object> body) {
        return bytes(status, graphqlResponse ? GRAPHQL_RESPONSE_JSON : APPLICATION_JSON, Json.write(body));
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

package io.atrium.router.transcode;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoding request path on Netty: match the route, build the request message, call the backend, write the
 * answer as proto3 JSON (unary), NDJSON or server-sent events (server streams, by {@code Accept}); every refusal is
 * a {@code google.rpc.Status} JSON body with the HTTP status of its code.
 */
final class TranscodingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(TranscodingHandler.class);
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";
    private static final String SSE = "text/event-stream";

    private final Transcoder transcoder;
    /** Calls in flight on this connection: cancelled when the client goes away. */
    private final java.util.Set<ClientCall<?, ?>> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    TranscodingHandler(Transcoder transcoder) {
        this.transcoder = transcoder;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (ClientCall<?, ?> call : active) {
            call.cancel("the HTTP client went away", null);
        }
        super.channelInactive(ctx);
    }

    /** A reset or broken connection is the client's business (its calls are cancelled as it goes inactive). */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("HTTP connection failed: {}", cause.getMessage());
        } else {
            LOG.atWarn().setCause(cause).log("transcoding connection closed after an unexpected error");
        }
        ctx.close();
    }

    /** Forgets the call once it closed. */
    private final class Untracking extends io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<DynamicMessage> {
        private final ClientCall<?, ?> call;

        Untracking(ClientCall.Listener<DynamicMessage> delegate, ClientCall<?, ?> call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            active.remove(call);
            super.onClose(status, trailers);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Transcoder.Snapshot snapshot = transcoder.snapshot();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            error(ctx, keepAlive, GrpcErrors.problem(400, Code.INVALID_ARGUMENT, "malformed HTTP request"), snapshot);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        String prefix = transcoder.config().pathPrefix();
        if (!prefix.isEmpty()) {
            if (!path.startsWith(prefix + "/")) {
                notFound(ctx, keepAlive, request, snapshot);
                return;
            }
            path = path.substring(prefix.length());
        }
        String method = request.method().name();
        if (path.equals("/openapi.json") && (method.equals("GET") || method.equals("HEAD"))) {
            respond(ctx, keepAlive, HttpResponseStatus.OK, JSON, snapshot.openApi(prefix));
            return;
        }
        RouteTable.Match match;
        Map<String, List<String>> query;
        try {
            match = snapshot.table().match(method, path);
            query = uri.parameters();
        } catch (IllegalArgumentException e) {
            error(ctx, keepAlive, GrpcErrors.problem(400, Code.INVALID_ARGUMENT, "malformed URL: " + e.getMessage()), snapshot);
            return;
        }
        switch (match) {
            case RouteTable.NotFound ignored -> notFound(ctx, keepAlive, request, snapshot);
            case RouteTable.WrongMethod wrong -> {
                FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, JSON, GrpcErrors.json(
                        GrpcErrors.problem(405, Code.UNIMPLEMENTED, method + " is not allowed on " + path
                                + "; allowed: " + String.join(", ", wrong.allowed())).status(), snapshot.types()));
                response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", wrong.allowed()));
                write(ctx, keepAlive, response);
            }
            case RouteTable.Found found -> call(ctx, keepAlive, request, found, query, snapshot);
        }
    }

    private void call(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request, RouteTable.Found found,
                      Map<String, List<String>> query, Transcoder.Snapshot snapshot) {
        Route route = found.route();
        Transcoder.Backend backend = snapshot.backends().get(route.backend());
        String body = request.content().toString(StandardCharsets.UTF_8);
        if (!body.isBlank() && !isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            error(ctx, keepAlive, GrpcErrors.problem(415, Code.INVALID_ARGUMENT,
                    "the request body must be JSON (content-type: application/json)"), snapshot);
            return;
        }
        DynamicMessage message;
        try {
            message = RequestBinder.bind(route, backend.json(), body, found.variables(), query);
        } catch (ProtoJson.InvalidRequest e) {
            error(ctx, keepAlive, GrpcErrors.invalid(e.getMessage(), e.violations), snapshot);
            return;
        }
        Metadata headers = new Metadata();
        for (String name : backend.config().forwardHeaders()) {
            List<String> values = request.headers().getAll(name);
            for (String value : values) {
                headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
            }
        }
        ClientCall<DynamicMessage, DynamicMessage> call = backend.channel(ctx.channel().eventLoop()).newCall(route.grpcMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(backend.config().timeout().toMillis(), TimeUnit.MILLISECONDS));
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
        ClientCall.Listener<DynamicMessage> listener = route.serverStreaming()
                ? new StreamListener(ctx, keepAlive, route, backend, call, accept.contains(SSE))
                : new UnaryListener(ctx, keepAlive, route, backend);
        active.add(call);
        call.start(new Untracking(listener, call), headers);
        call.sendMessage(message);
        call.halfClose();
        call.request(route.serverStreaming() ? 1 : 2);
    }

    private final class UnaryListener extends ClientCall.Listener<DynamicMessage> {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final Route route;
        private final Transcoder.Backend backend;
        private DynamicMessage answer;

        UnaryListener(ChannelHandlerContext ctx, boolean keepAlive, Route route, Transcoder.Backend backend) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.route = route;
            this.backend = backend;
        }

        @Override
        public void onMessage(DynamicMessage message) {
            answer = message;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (!status.isOk() || answer == null) {
                backendError(ctx, keepAlive, status.isOk()
                        ? Status.INTERNAL.withDescription("the backend answered without a message") : status, trailers,
                        backend);
                return;
            }
            String json;
            try {
                json = route.responseBody() == null ? backend.json().print(answer, route.emitDefaults())
                        : backend.json().printField(answer, route.responseBody(), route.emitDefaults());
            } catch (InvalidProtocolBufferException e) {
                backendError(ctx, keepAlive, Status.INTERNAL.withDescription("the backend's answer cannot be printed "
                        + "as JSON: " + e.getMessage()), null, backend);
                return;
            }
            respond(ctx, keepAlive, HttpResponseStatus.OK, JSON, json);
        }
    }

    /** Server streaming: one JSON document per message, flushed as it comes; the next is asked for once written. */
    private final class StreamListener extends ClientCall.Listener<DynamicMessage> {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final Route route;
        private final Transcoder.Backend backend;
        private final ClientCall<DynamicMessage, DynamicMessage> call;
        private final boolean sse;
        private boolean started;

        StreamListener(ChannelHandlerContext ctx, boolean keepAlive, Route route, Transcoder.Backend backend,
                       ClientCall<DynamicMessage, DynamicMessage> call, boolean sse) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.route = route;
            this.backend = backend;
            this.call = call;
            this.sse = sse;
        }

        @Override
        public void onMessage(DynamicMessage message) {
            String json;
            try {
                json = route.responseBody() == null ? backend.json().print(message, route.emitDefaults())
                        : backend.json().printField(message, route.responseBody(), route.emitDefaults());
            } catch (InvalidProtocolBufferException e) {
                call.cancel("unprintable message", e);
                return;
            }
            start();
            ctx.writeAndFlush(chunk(sse ? "data: " + json + "\n\n" : json + "\n")).addListener(f -> {
                if (f.isSuccess()) {
                    call.request(1);
                }
            });
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (!status.isOk() && !started) {
                backendError(ctx, keepAlive, status, trailers, backend);
                return;
            }
            start();
            if (!status.isOk()) {
                String error = GrpcErrors.json(GrpcErrors.fromGrpc(status, trailers), transcoder.snapshot().types());
                ctx.write(chunk(sse ? "event: error\ndata: " + error + "\n\n" : "{\"error\":" + error + "}\n"));
            }
            var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void start() {
            if (started) {
                return;
            }
            started = true;
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, sse ? SSE : NDJSON);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.write(head);
        }

        private DefaultHttpContent chunk(String text) {
            return new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), text));
        }
    }

    private void backendError(ChannelHandlerContext ctx, boolean keepAlive, Status status, Metadata trailers,
                              Transcoder.Backend backend) {
        com.google.rpc.Status detailed = GrpcErrors.fromGrpc(status, trailers);
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.INTERNAL) {
            LOG.atWarn().addKeyValue("backend", backend.name()).addKeyValue("grpc_status", status.getCode().name())
                    .log("gRPC backend call failed");
        }
        error(ctx, keepAlive, new GrpcErrors.Problem(GrpcErrors.httpStatus(detailed.getCode()), detailed),
                transcoder.snapshot());
    }

    private void notFound(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request, Transcoder.Snapshot snapshot) {
        error(ctx, keepAlive, GrpcErrors.problem(404, Code.NOT_FOUND, "no HTTP binding for " + request.method().name()
                + " " + new QueryStringDecoder(request.uri()).rawPath()), snapshot);
    }

    private static void error(ChannelHandlerContext ctx, boolean keepAlive, GrpcErrors.Problem problem,
                              Transcoder.Snapshot snapshot) {
        respond(ctx, keepAlive, HttpResponseStatus.valueOf(problem.httpStatus()), JSON,
                GrpcErrors.json(problem.status(), snapshot.types()));
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                String contentType, String body) {
        write(ctx, keepAlive, response(status, contentType, body));
    }

    static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        // the pooled (direct) allocator: encoded once, written to the socket without another copy
        ByteBuf content = ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals(JSON) || type.endsWith("+json");
    }
}

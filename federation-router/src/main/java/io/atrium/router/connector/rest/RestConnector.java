package io.atrium.router.connector.rest;

import io.atrium.router.connector.Attempted;
import io.atrium.router.connector.BackendCalls;
import io.atrium.router.connector.BackendFailure;
import io.atrium.router.connector.CallContext;
import io.atrium.router.connector.CallSite;
import io.atrium.router.connector.ConnectorErrorCodes;
import io.atrium.router.connector.ConnectorException;
import io.atrium.router.connector.rest.ConnectSpec.Connect;
import io.atrium.router.connector.rest.ConnectSpec.Errors;
import io.atrium.router.connector.rest.ConnectSpec.Header;
import io.atrium.router.connector.rest.ConnectSpec.Source;
import io.atrium.router.connector.rest.selection.JsonSelection;
import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
import io.atrium.router.transport.NettySubgraphTransport;
import io.atrium.router.transport.SubgraphFetchException;
import io.atrium.policy.resilience.AttemptOutcome;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One {@code @connect}, compiled: builds the HTTP request from the variables ({@code $args}, {@code $this},
 * {@code $batch}, {@code $config}, {@code $context}, {@code $request}), sends it through {@link BackendCalls}, and
 * maps the answer with the selection ({@code $response}, {@code $status} too). A non-success answer ({@code isSuccess}
 * or 2xx) becomes a {@code CONNECTOR_FETCH} error whose message and extensions the {@code errors} selections of the
 * connector (else its source) may set.
 */
final class RestConnector {

    private final String subgraph;
    private final Connect connect;
    private final Source source;
    private final String baseUrl;
    private final Map<String, Object> config;
    private final HttpClient http;
    /** {@code http} backends are called on the router's event loops (the subgraphs' Netty client); null: JDK only. */
    private final NettySubgraphTransport netty;
    private final BackendCalls calls;
    private final CallSite site;
    private final boolean safe;

    /** What came back: status, headers (lower-case names → values), the body (null when empty or not JSON). */
    record Reply(int status, Map<String, List<String>> headers, Object body, boolean unreadable) {
    }

    RestConnector(String subgraph, Connect connect, Source source, URI baseOverride, Map<String, Object> config,
                  HttpClient http, NettySubgraphTransport netty, BackendCalls calls) {
        this.netty = netty;
        this.subgraph = subgraph;
        this.connect = connect;
        this.source = source;
        this.baseUrl = baseOverride != null ? baseOverride.toString() : source != null ? source.baseUrl() : null;
        this.config = config;
        this.http = http;
        this.calls = calls;
        this.site = new CallSite(subgraph, source != null ? source.name() : hostOf(connect.url().toString()),
                connect.coordinate());
        this.safe = connect.method() == ConnectSpec.Method.GET;
    }

    /** The scheme and authority of an absolute URL template: the backend of a connector without a source. */
    private static String hostOf(String url) {
        int start = url.indexOf("://");
        int end = start < 0 ? -1 : url.indexOf('/', start + 3);
        return end < 0 ? url : url.substring(0, end);
    }

    Connect spec() {
        return connect;
    }

    /**
     * @param inputs {@code $args}, {@code $this} or {@code $batch} for this call
     * @return the selection's output for the answer (null when it produced nothing)
     */
    CompletionStage<Object> call(Map<String, Object> inputs, CallContext context) {
        return call(inputs, context, java.util.function.Function.identity());
    }

    /** {@link #call} with {@code then} applied to the selection's output in the same stage (one future fewer). */
    <T> CompletionStage<T> call(Map<String, Object> inputs, CallContext context, java.util.function.Function<Object, T> then) {
        Map<String, Object> vars = new HashMap<>(inputs);
        vars.put("$config", config);
        vars.put("$context", Map.of());
        vars.put("$request", new RequestVariable(context.headers()));
        Prepared request;
        try {
            request = request(vars);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(Failures.fetch(site, "the connector's request is not valid: "
                    + e.getMessage(), null));
        }
        java.util.function.BiConsumer<String, String> traceHeaders = context.spans() == null ? null : request.headers()::put;
        return calls.<Reply>call(site, safe, context, traceHeaders, timeout -> (request.onLoop()
                ? netty.exchange(site.backend(), request.method(), request.target().origin(), request.target().target(),
                        request.headers(), request.body(), timeout)
                        .handle((response, error) -> {
                            if (error != null) {
                                throw failure(error);
                            }
                            return Attempted.of(response.status(), reply(response.status(), response.headers(),
                                    response.body()));
                        })
                : http.sendAsync(request.jdk(timeout), HttpResponse.BodyHandlers.ofByteArray())
                        .orTimeout(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS) // the body's time too
                        .handle((response, error) -> {
                            if (error != null) {
                                throw failure(error);
                            }
                            return Attempted.of(response.statusCode(), reply(response));
                        }))).thenApply(attempted -> {
                    // the backend's caching policy passes through to the router's answer (several fields are one list)
                    List<String> cacheControl = attempted.value().headers().get("cache-control");
                    context.cachePolicy().add(cacheControl == null ? null : String.join(", ", cacheControl));
                    return then.apply(map(attempted.value(), vars));
                });
    }

    /**
     * A backend request, built once per call (its headers take the trace context before each attempt).
     *
     * @param url    the whole URL, for the JDK client ({@code https}, or no event-loop transport); null when the call
     *               goes on the event loop's connections, which need only {@code target}
     */
    private record Prepared(String method, URI url, Http.Target target, Map<String, String> headers, byte[] body) {
        boolean onLoop() {
            return url == null;
        }

        HttpRequest jdk(java.time.Duration timeout) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout);
            headers.forEach(builder::header);
            return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }
    }

    private Prepared request(Map<String, Object> vars) {
        StringBuilder url = new StringBuilder();
        if (connect.source() != null) {
            url.append(stripSlash(baseUrl));
            appendSegments(url, source.path(), vars);
        }
        String rendered = connect.url().render(vars, true);
        int query = rendered.indexOf('?');
        url.append(query < 0 ? rendered : rendered.substring(0, query));
        appendSegments(url, connect.path(), vars);
        if (query >= 0) {
            url.append(rendered, query, rendered.length());
        }
        if (source != null && source.queryParams() != null) {
            Http.appendQuery(url, source.queryParams().apply(Map.of(), vars));
        }
        if (connect.queryParams() != null) {
            Http.appendQuery(url, connect.queryParams().apply(Map.of(), vars));
        }
        // plain http goes on the event loop's connections, which need only the origin and the request target
        String text = url.toString();
        Http.Target target = Http.split(text);
        URI full = netty != null && "http".equalsIgnoreCase(target.origin().getScheme()) ? null : URI.create(text);
        Map<String, String> headers = new LinkedHashMap<>();
        if (source != null) {
            headers(source.headers(), vars, headers);
        }
        headers(connect.headers(), vars, headers);
        byte[] body = null;
        if (connect.body() != null) {
            Object value = connect.body().apply(Map.of(), vars);
            body = Json.write(value);
            headers.putIfAbsent("content-type", "application/json");
        }
        headers.putIfAbsent("accept", "application/json");
        return new Prepared(connect.method().name(), full, target, headers, body);
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** {@code http.path}: a selection giving the path segments to append, each encoded. */
    private static void appendSegments(StringBuilder url, JsonSelection path, Map<String, Object> vars) {
        if (path == null || !(path.apply(Map.of(), vars) instanceof List<?> segments)) {
            return;
        }
        for (Object segment : segments) {
            if (segment != null) {
                url.append('/').append(Http.encode(UrlTemplate.text(segment)));
            }
        }
    }

    private static void headers(List<Header> mappings, Map<String, Object> vars, Map<String, String> into) {
        @SuppressWarnings("unchecked")
        Map<String, List<String>> client = (Map<String, List<String>>) ((Map<String, Object>) vars.get("$request")).get("headers");
        for (Header header : mappings) {
            if (header.from() != null) {
                List<String> values = client.get(header.from());
                if (values != null && !values.isEmpty()) {
                    into.put(header.name(), values.getFirst());
                }
            } else {
                into.put(header.name(), header.value().render(vars, false));
            }
        }
    }

    /**
     * {@code $request}: its {@code headers} (lower-case names → values) made when a mapping first reads them; most
     * connectors never do, and the client's headers are many.
     */
    private static final class RequestVariable extends java.util.AbstractMap<String, Object> {
        private final Map<String, String> client;
        private Map<String, Object> made;

        RequestVariable(Map<String, String> client) {
            this.client = client;
        }

        private Map<String, Object> made() {
            if (made == null) {
                made = Map.of("headers", multi(client));
            }
            return made;
        }

        @Override
        public Object get(Object key) {
            return "headers".equals(key) ? made().get(key) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return "headers".equals(key);
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            return made().entrySet();
        }
    }

    private static Map<String, List<String>> multi(Map<String, String> headers) {
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((name, value) -> multi.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        return multi;
    }

    private static Reply reply(HttpResponse<byte[]> response) {
        Map<String, List<String>> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return reply(response.statusCode(), headers, response.body());
    }

    private static Reply reply(int status, Map<String, List<String>> headers, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Reply(status, headers, null, false);
        }
        try {
            return new Reply(status, headers, Json.read(bytes), false);
        } catch (JsonException e) {
            return new Reply(status, headers, null, true);
        }
    }

    private static RuntimeException failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SubgraphFetchException fetch && fetch.outcome() instanceof AttemptOutcome.Failure outcome) {
            String message = fetch.getMessage();
            int colon = message.indexOf("': ");
            return new BackendFailure(outcome, colon < 0 ? message : message.substring(colon + 3));
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return new BackendFailure(AttemptOutcome.Failure.PER_TRY_TIMEOUT, "timed out");
        }
        if (cause instanceof ConnectException) {
            return new BackendFailure(AttemptOutcome.Failure.CONNECT_FAILED, "connection refused");
        }
        return new BackendFailure(AttemptOutcome.Failure.RESET_BEFORE_RESPONSE,
                cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
    }

    private Object map(Reply reply, Map<String, Object> vars) {
        vars.put("$status", reply.status());
        vars.put("$response", Map.of("headers", reply.headers()));
        JsonSelection isSuccess = connect.isSuccess() != null ? connect.isSuccess() : source != null ? source.isSuccess() : null;
        boolean success = isSuccess != null ? Boolean.TRUE.equals(isSuccess.apply(reply.body(), vars))
                : reply.status() >= 200 && reply.status() < 300;
        if (!success) {
            throw error(reply, vars);
        }
        if (reply.unreadable()) {
            throw Failures.of(site, ConnectorErrorCodes.CONNECTOR_DESERIALIZE,
                    "the backend's answer is not JSON", reply.status(), null);
        }
        return connect.selection().apply(reply.body(), vars);
    }

    private ConnectorException error(Reply reply, Map<String, Object> vars) {
        Errors errors = connect.errors() != null ? connect.errors() : source != null ? source.errors() : null;
        String message = "Request failed";
        Map<String, Object> extra = null;
        if (errors != null && errors.message() != null && errors.message().apply(reply.body(), vars) instanceof String m) {
            message = m;
        }
        if (errors != null && errors.extensions() != null
                && errors.extensions().apply(reply.body(), vars) instanceof Map<?, ?> ext) {
            extra = new LinkedHashMap<>();
            for (var entry : ext.entrySet()) {
                extra.put((String) entry.getKey(), entry.getValue());
            }
        }
        return Failures.of(site, ConnectorErrorCodes.CONNECTOR_FETCH, message, reply.status(), extra);
    }

    /** The GraphQL error shape of connector failures (Apollo's: code, service, connector coordinate, http.status). */
    static final class Failures {
        private Failures() {
        }

        static ConnectorException fetch(CallSite site, String message, Integer status) {
            return of(site, ConnectorErrorCodes.CONNECTOR_FETCH, message, status, null);
        }

        static ConnectorException of(CallSite site, String code, String message, Integer status, Map<String, Object> extra) {
            Map<String, Object> more = new LinkedHashMap<>();
            if (status != null) {
                more.put("http", Map.of("status", status));
            }
            ConnectorException base = BackendCalls.failure(site, code, message, more);
            if (extra == null || extra.isEmpty()) {
                return base;
            }
            Map<String, Object> extensions = new LinkedHashMap<>(base.extensions());
            extensions.putAll(extra);
            if (!(extensions.get("code") instanceof String)) {
                extensions.put("code", code);
            }
            return new ConnectorException(message, extensions);
        }
    }
}

package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.Template;
import io.atrium.edge.config.TransformConfig;
import io.atrium.policy.Identity;
import io.atrium.policy.QueryStrings;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * A route's transformations compiled for the data path (the TRANSFORM stage, after the cache lookup and before the
 * upstream). Routes without transformations have none (null), so their requests pay nothing. Header names were
 * checked at load (no hop-by-hop, framing or edge-owned header), so nothing is re-checked per request.
 *
 * <p>Request templates read the request as it reached this stage (client headers after identity propagation and
 * credential removal, the client's query string, captures of the client's path); every value is rendered before the
 * first edit, so edits never see each other's results.
 */
public final class RouteTransform {

    /** What the request transformation produced: the upstream target, and the upstream {@code Host} (null: the endpoint's). */
    public record RequestResult(String target, String host) {
    }

    private final String route;
    private final boolean enforce;
    private final HeaderEdits requestHeaders;
    private final QueryEdits query;
    private final PathPattern pattern;
    private final Template path;
    private final Template host;
    private final boolean editsRequest;
    private final HeaderEdits responseHeaders;
    private final JsonFilter json;
    private final long jsonMaxBody;
    private final TransformConfig.TooLarge tooLarge;
    private final TransformCounters counters;

    private RouteTransform(String route, TransformConfig config, MeterRegistry registry) {
        this.route = route;
        this.enforce = config.settings().enforce();
        TransformConfig.Request request = config.request();
        this.requestHeaders = HeaderEdits.of(request.headers());
        this.query = QueryEdits.of(request.query());
        this.pattern = request.path().flatMap(TransformConfig.PathRewrite::pattern).map(PathPattern::compile).orElse(null);
        this.path = request.path().map(TransformConfig.PathRewrite::template).orElse(null);
        this.host = request.host().orElse(null);
        this.editsRequest = !request.equals(TransformConfig.Request.NONE);
        this.responseHeaders = HeaderEdits.of(config.response().headers());
        this.json = config.response().json().map(JsonFilter::compile).orElse(null);
        this.jsonMaxBody = config.response().json().map(TransformConfig.Json::maxBody).orElse(0L);
        this.tooLarge = config.response().json().map(TransformConfig.Json::onTooLarge).orElse(TransformConfig.TooLarge.PASS);
        this.counters = new TransformCounters(registry, route, enforce);
    }

    /** The route's transformations, or null when it has none (or they are disabled). */
    public static RouteTransform compile(String route, TransformConfig config, MeterRegistry registry) {
        return config.active() ? new RouteTransform(route, config, registry) : null;
    }

    public boolean editsRequest() {
        return editsRequest;
    }

    public boolean editsResponseHeaders() {
        return responseHeaders != null;
    }

    /** The JSON body filter when responses are to be filtered (and the transformation is enforced), else null. */
    public JsonFilter json() {
        return enforce ? json : null;
    }

    public long jsonMaxBody() {
        return jsonMaxBody;
    }

    /** {@code on_too_large: reject}: a JSON body above {@link #jsonMaxBody()} gets 502 instead of passing unchanged. */
    public boolean rejectTooLarge() {
        return tooLarge == TransformConfig.TooLarge.REJECT;
    }

    /** {@code on_too_large: stream}: a JSON body above {@link #jsonMaxBody()} is transformed while it streams. */
    public boolean streamTooLarge() {
        return tooLarge == TransformConfig.TooLarge.STREAM;
    }

    public TransformCounters counters() {
        return counters;
    }

    /**
     * Applies the request edits to {@code headers} (in place) and returns the upstream target and {@code Host}.
     *
     * @param clientTarget the target as the client sent it (path captures and {@code {query.*}} read it)
     * @param upstreamTarget the target as it would go upstream without this stage
     */
    public RequestResult applyToRequest(HttpHeaders headers, String clientTarget, String upstreamTarget, Identity identity, String requestId) {
        if (!enforce) {
            counters.requestReported.increment();
            return new RequestResult(upstreamTarget, null);
        }
        int q = clientTarget.indexOf('?');
        String clientPath = q < 0 ? clientTarget : clientTarget.substring(0, q);
        String[] captures = pattern == null ? new String[0] : pattern.match(clientPath);
        boolean pathMatched = captures != null;
        if (!pathMatched) {
            counters.pathUnmatched.increment();
            captures = new String[0];
        }
        Input input = new Input(headers, q < 0 ? null : clientTarget.substring(q + 1), captures, route, requestId, identity);
        String[] headerValues = requestHeaders == null ? null : requestHeaders.render(input);
        String[] queryValues = query == null ? null : query.render(input);
        String newPath = path != null && pathMatched ? path.render(input, Template.Target.PATH) : null;
        String newHost = host == null ? null : host.render(input, Template.Target.HEADER);
        if (requestHeaders != null) {
            requestHeaders.apply(headers, headerValues);
        }
        String target = upstreamTarget;
        if (query != null) {
            target = query.apply(target, queryValues);
        }
        if (newPath != null) {
            int tq = target.indexOf('?');
            target = tq < 0 ? newPath : newPath + target.substring(tq);
        }
        counters.request.increment();
        return new RequestResult(target, newHost == null || newHost.isEmpty() ? null : newHost);
    }

    /** Applies the response header edits to an upstream (or cached) response's headers, in place. */
    public void applyToResponse(HttpHeaders headers, Identity identity, String requestId) {
        if (responseHeaders == null) {
            return;
        }
        if (!enforce) {
            counters.responseReported.increment();
            return;
        }
        Input input = new Input(null, null, new String[0], route, requestId, identity);
        responseHeaders.apply(headers, responseHeaders.render(input));
        counters.response.increment();
    }

    /** The request data templates read, for one exchange. */
    private record Input(HttpHeaders headers, String query, String[] captures, String route, String requestId, Identity identity)
            implements Template.Input {

        @Override
        public String header(AsciiString name) {
            return headers == null ? null : headers.get(name);
        }

        @Override
        public String query(String name) {
            return QueryStrings.parameter(query, name);
        }

        @Override
        public String capture(int index) {
            return index < captures.length ? captures[index] : null;
        }

        @Override
        public String consumer() {
            return identity == null ? null : identity.consumer();
        }

        @Override
        public String subject() {
            return identity == null ? null : identity.subject();
        }
    }

    /** The values of {@code edits}' replace, add and append entries, in that order, escaped for {@code target}. */
    static String[] render(TransformConfig.FieldEdits edits, Template.Input input, Template.Target target) {
        String[] values = new String[edits.replace().size() + edits.add().size() + edits.append().size()];
        int i = 0;
        for (List<TransformConfig.Entry> entries : List.of(edits.replace(), edits.add(), edits.append())) {
            for (TransformConfig.Entry entry : entries) {
                values[i++] = entry.value().render(input, target);
            }
        }
        return values;
    }
}

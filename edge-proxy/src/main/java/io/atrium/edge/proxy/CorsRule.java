package io.atrium.edge.proxy;

import io.atrium.edge.config.Protection;
import io.atrium.policy.HttpHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A route's CORS configuration with every header value computed once at load. Preflights are answered by the edge;
 * actual requests from an allowed origin get the allow headers on their response (also on problem responses, so
 * that browsers let the page read a 401 or 429).
 */
public final class CorsRule {

    private final Protection.Cors cors;
    private final Set<String> methods;
    private final Set<String> headersLower;
    private final String allowMethods;
    private final String allowHeaders;
    private final String exposeHeaders;
    private final String maxAge;
    private final List<HttpHeader> anyOriginHeaders;

    public CorsRule(Protection.Cors cors) {
        this.cors = cors;
        this.methods = Set.copyOf(cors.allowMethods());
        this.headersLower = cors.allowHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.allowMethods = String.join(", ", cors.allowMethods());
        this.allowHeaders = String.join(", ", cors.allowHeaders());
        this.exposeHeaders = String.join(", ", cors.exposeHeaders());
        this.maxAge = Long.toString(cors.maxAge().toSeconds());
        this.anyOriginHeaders = cors.anyOrigin() ? actualHeaders("*") : null;
    }

    public boolean allowsOrigin(String origin) {
        return origin != null && cors.allows(origin);
    }

    /** Whether a preflight asking for {@code method} and {@code requestHeaders} (comma-separated, may be null) passes. */
    public boolean allowsPreflight(String method, String requestHeaders) {
        if (!methods.contains(method)) {
            return false;
        }
        if (requestHeaders == null || requestHeaders.isBlank()) {
            return true;
        }
        for (String header : requestHeaders.split(",")) {
            String name = header.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !headersLower.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** Headers of the edge's answer to an allowed preflight. */
    public List<HttpHeader> preflightHeaders(String origin) {
        List<HttpHeader> out = new ArrayList<>(6);
        out.add(new HttpHeader("Access-Control-Allow-Origin", cors.anyOrigin() ? "*" : origin));
        out.add(new HttpHeader("Access-Control-Allow-Methods", allowMethods));
        if (!allowHeaders.isEmpty()) {
            out.add(new HttpHeader("Access-Control-Allow-Headers", allowHeaders));
        }
        if (cors.allowCredentials()) {
            out.add(new HttpHeader("Access-Control-Allow-Credentials", "true"));
        }
        out.add(new HttpHeader("Access-Control-Max-Age", maxAge));
        out.add(new HttpHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
        return out;
    }

    /** Headers added to the response of an actual request from an allowed origin. */
    public List<HttpHeader> actualHeaders(String origin) {
        if (anyOriginHeaders != null) {
            return anyOriginHeaders;
        }
        List<HttpHeader> out = new ArrayList<>(4);
        out.add(new HttpHeader("Access-Control-Allow-Origin", origin));
        out.add(new HttpHeader("Vary", "Origin"));
        if (cors.allowCredentials()) {
            out.add(new HttpHeader("Access-Control-Allow-Credentials", "true"));
        }
        if (!exposeHeaders.isEmpty()) {
            out.add(new HttpHeader("Access-Control-Expose-Headers", exposeHeaders));
        }
        return List.copyOf(out);
    }
}

package io.atrium.policy.cache;

import io.atrium.policy.Identity;
import io.atrium.policy.PolicyContext;
import io.atrium.policy.PolicyRequest;
import java.util.Locale;
import java.util.Objects;

/**
 * The primary cache key of a request: route, host, path and query, and — whenever the request carries an identity —
 * that identity (how it was established, subject and consumer), so a response stored for one caller is never served
 * to another. Parts are length-prefixed, so no value can forge a delimiter. {@code Vary} adds the secondary key.
 */
public record CacheKey(String value) {

    public CacheKey {
        Objects.requireNonNull(value, "value");
    }

    public static CacheKey of(PolicyContext context) {
        PolicyRequest request = context.request();
        StringBuilder key = new StringBuilder(96);
        part(key, request.routeId());
        String host = request.header("Host");
        part(key, host == null ? "" : host.toLowerCase(Locale.ROOT));
        part(key, request.path());
        part(key, request.query() == null ? "" : "?" + request.query());
        Identity identity = context.identity();
        if (identity != null) {
            key.append('@');
            part(key, identity.method().name());
            part(key, identity.subject());
            part(key, identity.consumer() == null ? "" : identity.consumer());
        }
        return new CacheKey(key.toString());
    }

    private static void part(StringBuilder key, String value) {
        key.append(value.length()).append(':').append(value);
    }
}

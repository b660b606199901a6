package io.atrium.edge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edge's declarative configuration (route file, {@code format_version: 1}), validated.
 *
 * @param formatVersion the file's format version (always {@link #FORMAT_VERSION})
 * @param http the plain-HTTP data listener (HTTP/1.1 and h2c)
 * @param https the HTTPS data listener, when configured
 * @param clusters upstream clusters by name, in file order
 * @param routes routes in file order (matching is longest prefix first, not file order)
 * @param gateway gateway-wide policy set-up (authenticators, assertion, rate-limit store)
 * @param accessLog {@code access_log.enabled}, default true: one JSON line per exchange on logger {@code io.atrium.edge.access}
 * @param cacheMaxBytes {@code cache.max_size}, default 64 MiB: the response cache's store, shared by every caching route
 * @param maxHeaderSize {@code limits.max_header_size}, default 16 KiB: request line plus headers; larger gets 431
 * @param timeouts {@code limits.idle_timeout}, {@code request_header_timeout}, {@code request_body_timeout}
 */
public record EdgeConfig(int formatVersion, ListenerConfig http, Optional<TlsListenerConfig> https, Map<String, ClusterConfig> clusters,
                         List<RouteConfig> routes, GatewayPolicies gateway, int maxHeaderSize, boolean accessLog, long cacheMaxBytes,
                         ClientTimeouts timeouts) {

    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;

    public static final int FORMAT_VERSION = 1;

    public EdgeConfig {
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        routes = List.copyOf(routes);
    }
}

package io.atrium.edge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge's declarative configuration (route file, {@code format_version: 1}), validated.
 *
 * @param formatVersion the file's format version (always {@link #FORMAT_VERSION})
 * @param http the plain-HTTP data listener
 * @param clusters upstream clusters by name, in file order
 * @param routes routes in file order (matching is longest prefix first, not file order)
 */
public record EdgeConfig(int formatVersion, ListenerConfig http, Map<String, ClusterConfig> clusters, List<RouteConfig> routes) {

    public static final int FORMAT_VERSION = 1;

    public EdgeConfig {
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        routes = List.copyOf(routes);
    }
}

package io.atrium.edge.config;

import io.atrium.policy.resilience.ClusterResilienceConfig;

import java.time.Duration;
import java.util.Objects;
import java.util.List;

/**
 * An upstream cluster.
 *
 * @param name the key under {@code clusters}
 * @param endpoints {@code endpoints}: one or more {@code http://host[:port]} addresses, used round-robin
 * @param connectTimeout {@code connect_timeout}, default 2s: TCP connect limit; exceeded means 502
 * @param responseTimeout {@code response_timeout}, default 30s: from the end of the client request to the upstream
 *     response head; exceeded means 504
 * @param maxConnections {@code max_connections}, default 1024: open connections (busy plus idle keep-alive) per endpoint;
 *     requests beyond it wait for a connection to be released. Split evenly over the data-path I/O threads.
 * @param resilience {@code load_balancing}, {@code health_check}, {@code outlier_detection}, {@code circuit_breaker} and
 *     {@code retry}, mapped onto the shared library's records (default {@link ClusterResilienceConfig#DEFAULT})
 */
public record ClusterConfig(String name, List<Endpoint> endpoints, Duration connectTimeout, Duration responseTimeout, int maxConnections,
                            ClusterResilienceConfig resilience) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public ClusterConfig {
        endpoints = List.copyOf(endpoints);
        resilience = Objects.requireNonNullElse(resilience, ClusterResilienceConfig.DEFAULT);
    }

    /** A cluster with the default resilience settings. */
    public ClusterConfig(String name, List<Endpoint> endpoints, Duration connectTimeout, Duration responseTimeout, int maxConnections) {
        this(name, endpoints, connectTimeout, responseTimeout, maxConnections, ClusterResilienceConfig.DEFAULT);
    }
}

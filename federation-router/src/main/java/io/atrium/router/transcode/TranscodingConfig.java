package io.atrium.router.transcode;

import io.atrium.router.config.GrpcTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * REST → gRPC transcoding ({@code --transcoding transcoding.yaml}; {@link TranscodingConfigLoader}).
 *
 * @param host            listen address (default {@code 0.0.0.0})
 * @param port            listen port (default 4020; 0 = any free port)
 * @param pathPrefix      prefix every route is served under, e.g. {@code /api} (default none)
 * @param maxRequestBytes request bodies above are answered 413 (default 1 MiB)
 * @param backends        the gRPC backends by name, at least one
 */
public record TranscodingConfig(String host, int port, String pathPrefix, int maxRequestBytes,
                                Map<String, Backend> backends) {

    public static final int DEFAULT_PORT = 4020;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    public TranscodingConfig {
        backends = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backends));
    }

    /**
     * One gRPC backend and the routes transcoded to it.
     *
     * @param target         {@code host:port} of the gRPC server
     * @param tls            TLS (and mTLS) to the backend; null = plaintext (h2c)
     * @param descriptorSet  a {@code FileDescriptorSet} file or {@code classpath:} resource; null = server reflection
     * @param serviceConfig  a Google service-config YAML whose {@code http.rules} replace annotations; null = none
     * @param services       the services to expose; empty = every service (never gRPC's own: reflection, health)
     * @param timeout        deadline of each call (default 30 s)
     * @param forwardHeaders request headers sent on as gRPC metadata (lower-case; default none)
     * @param emitDefaults   print fields that hold their default value (default false, as proto3 JSON does)
     * @param routes         per-method options by selector ({@code pkg.Service.Method})
     * @param reloadInterval how often the descriptor set / reflection / service config are checked (default 5 s)
     */
    public record Backend(String target, GrpcTls tls, String descriptorSet, Path serviceConfig, Set<String> services,
                          Duration timeout, List<String> forwardHeaders, boolean emitDefaults,
                          Map<String, RouteOptions> routes, Duration reloadInterval) {
        public Backend {
            services = Set.copyOf(services);
            forwardHeaders = List.copyOf(forwardHeaders);
            routes = Map.copyOf(routes);
        }

        public boolean emitDefaults(String selector) {
            RouteOptions options = routes.get(selector);
            return options != null && options.emitDefaults() != null ? options.emitDefaults() : emitDefaults;
        }
    }

    /** @param emitDefaults overrides the backend's {@code emit_defaults} for this method; null = inherit */
    public record RouteOptions(Boolean emitDefaults) {
    }
}

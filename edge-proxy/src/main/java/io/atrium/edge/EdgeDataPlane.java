package io.atrium.edge;

import io.atrium.edge.config.EdgeConfig;
import io.atrium.edge.config.EdgeConfigException;
import io.atrium.edge.config.EdgeConfigLoader;
import io.atrium.edge.observe.EdgeMetrics;
import io.atrium.edge.policy.EdgePolicies;
import io.atrium.edge.proxy.EdgeServer;
import io.atrium.edge.proxy.ProxyStats;
import io.atrium.edge.proxy.RouteTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the data-path listeners when the application context starts and drains them when the context stops, and
 * reloads the route file on demand ({@code POST /config/reload}) or when it changes on disk.
 * The route file is named by {@code atrium.edge.config} (env {@code ATRIUM_EDGE_CONFIG}); without it the bundled
 * default (local-stack routes) is used. Invalid config fails start-up; an invalid reload changes nothing.
 */
@Context
public final class EdgeDataPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeDataPlane.class);

    /** The outcome of a reload. */
    public sealed interface ReloadResult {
        /** The new config serves every request that starts from now on. */
        record Applied(int routes, int clusters) implements ReloadResult {
        }

        /** Nothing changed; every error names its key's path. */
        record Rejected(List<String> errors) implements ReloadResult {
            public Rejected {
                errors = List.copyOf(errors);
            }
        }
    }

    private final Path configFile;
    /** ATRIUM_EDGE_SIGNING_KEY: the assertion key shared by every edge, kept out of the route file (blank: none). */
    private final String signingKey;
    private final String configSource;
    private final MeterRegistry registry;
    private final EdgeMetrics metrics;
    private final EdgeServer server;
    private final ConfigWatcher watcher;
    private final io.atrium.edge.observe.EdgeTracing tracing;
    private volatile EdgeConfig config;
    private volatile EdgePolicies policies;

    EdgeDataPlane(@Value("${atrium.edge.config:}") String configPath, @Value("${atrium.edge.watch-config:true}") boolean watchConfig,
                  @Value("${atrium.edge.transport:auto}") String transport,
                  @Value("${atrium.edge.signing-key:}") String signingKey, MeterRegistry registry,
                  io.micronaut.context.env.Environment environment) {
        String transportProblem = EdgeServer.transportProblem(transport);
        if (transportProblem != null) {
            throw new EdgeConfigException("atrium.edge.transport (ATRIUM_EDGE_TRANSPORT): " + transportProblem);
        }
        this.signingKey = signingKey;
        this.configFile = configPath.isBlank() ? null : Path.of(configPath);
        this.configSource = configFile == null ? "classpath:" + EdgeConfigLoader.DEFAULT_RESOURCE : configPath;
        this.registry = registry;
        this.metrics = new EdgeMetrics(registry);
        this.config = load();
        this.policies = EdgePolicies.create(config.gateway(), registry, null);
        try {
            this.tracing = io.atrium.edge.observe.EdgeTracing.configure(
                    io.atrium.policy.observability.OpenTelemetrySetup.properties(environment));
        } catch (IllegalStateException e) {
            policies.close();
            throw new EdgeConfigException(e.getMessage());
        }
        try {
            this.server = EdgeServer.start(config, policies::chainFor, metrics, Runtime.getRuntime().availableProcessors(), transport);
        } catch (RuntimeException e) {
            policies.close();
            if (tracing != null) {
                tracing.close();
            }
            throw e;
        }
        server.tracing(tracing);
        this.watcher = configFile != null && watchConfig ? ConfigWatcher.start(configFile, this::reloadFromWatch) : null;
    }

    private EdgeConfig load() {
        EdgeConfig loaded = configFile == null ? EdgeConfigLoader.loadDefault() : EdgeConfigLoader.load(configFile);
        return loaded.withSigningKey(signingKey);
    }

    /**
     * Reads the route file again, validates it and swaps the route table atomically. Requests in flight finish on the
     * old table. Listener, {@code limits.max_header_size} and {@code access_log} changes need a restart and are refused.
     */
    public synchronized ReloadResult reload() {
        EdgeConfig next;
        try {
            next = load();
        } catch (EdgeConfigException e) {
            return new ReloadResult.Rejected(e.errors());
        }
        List<String> restart = needsRestart(config, next);
        if (!restart.isEmpty()) {
            return new ReloadResult.Rejected(restart);
        }
        EdgePolicies previous = policies;
        EdgePolicies nextPolicies;
        RouteTable table;
        try {
            nextPolicies = EdgePolicies.create(next.gateway(), registry, previous);
        } catch (RuntimeException e) {
            return new ReloadResult.Rejected(List.of(configSource + ": " + e.getMessage()));
        }
        try {
            table = RouteTable.compile(next, nextPolicies::chainFor, metrics);
        } catch (RuntimeException e) {
            nextPolicies.closeReplacedBy(previous);
            return new ReloadResult.Rejected(List.of(configSource + ": " + e.getMessage()));
        }
        server.swap(table);
        policies = nextPolicies;
        config = next;
        // Requests in flight may still use the old policies (their rate-limit store) for up to the drain timeout.
        CompletableFuture.delayedExecutor(EdgeServer.DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> previous.closeReplacedBy(nextPolicies));
        LOG.info("edge config reloaded from {}: {} routes, {} clusters", configSource, next.routes().size(), next.clusters().size());
        return new ReloadResult.Applied(next.routes().size(), next.clusters().size());
    }

    private void reloadFromWatch() {
        ReloadResult result = reload();
        if (result instanceof ReloadResult.Rejected rejected) {
            LOG.warn("edge config {} changed but is invalid; still serving the previous config: {}", configSource, rejected.errors());
        }
    }

    private static List<String> needsRestart(EdgeConfig current, EdgeConfig next) {
        List<String> errors = new ArrayList<>();
        if (!current.http().equals(next.http()) || !current.https().equals(next.https())) {
            errors.add("listeners: changed; restart the edge to apply listener changes");
        }
        if (current.maxHeaderSize() != next.maxHeaderSize()) {
            errors.add("limits.max_header_size: changed; restart the edge to apply it");
        }
        if (!current.timeouts().equals(next.timeouts())) {
            errors.add("limits.idle_timeout, request_header_timeout, request_body_timeout, response_write_timeout: changed; restart the edge to apply them");
        }
        if (current.accessLog() != next.accessLog()) {
            errors.add("access_log.enabled: changed; restart the edge to apply it");
        }
        return errors;
    }

    /** The public keys of the internal identity assertion (a JWKS document). */
    public String assertionJwks() {
        return policies.assertionJwks();
    }

    /** The bound data port (useful when the route file asks for port 0). */
    public int port() {
        return server.port();
    }

    /** The bound HTTPS port, or -1 when no HTTPS listener is configured. */
    public int tlsPort() {
        return server.tlsPort();
    }

    public boolean isListening() {
        return server.isListening();
    }

    /** The HTTPS listener's TLS engine: {@code openssl}, {@code jdk}, or {@code none} without that listener. */
    public String tlsProvider() {
        return server.tlsProvider();
    }

    /** The data path's I/O transport: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String transport() {
        return server.transport();
    }

    /** The route table serving now, with the clusters' live resilience state. */
    public RouteTable routes() {
        return server.routes();
    }

    /** The config serving requests now. */
    public EdgeConfig config() {
        return config;
    }

    public String configSource() {
        return configSource;
    }

    public ProxyStats stats() {
        return server.stats();
    }

    @PreDestroy
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        server.close();
        Objects.requireNonNull(policies).close();
        if (tracing != null) {
            tracing.close(); // after the server: the last exchanges' spans are exported
        }
    }
}

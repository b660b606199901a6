package io.atrium.router.lifecycle;

import io.atrium.router.config.RouterConfig;
import io.atrium.router.compose.SubgraphsFollower;
import io.atrium.router.config.RouterConfigLoader;
import io.atrium.router.registry.RegistryMode;
import io.atrium.router.registry.RegistryState;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphException;
import io.atrium.router.supergraph.SupergraphReader;
import io.atrium.router.connector.ConnectorProvider;
import io.atrium.policy.resilience.ResilienceLog;
import io.atrium.policy.resilience.ResilienceMetrics;
import io.atrium.router.transport.NettySubgraphTransport;
import io.atrium.router.transport.ResilientTransport;
import io.atrium.router.observe.RouterMetrics;
import io.atrium.router.registry.RegistryAdminServer;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supergraph's lifecycle, where its sources, composition and swapping meet: a file (hot reload), the subgraph
 * registry (registry mode), or subgraphs composed from a rover-format config. Whatever the source, a new supergraph is
 * read and validated and swapped in atomically; one that fails keeps the current one live and says why. Requests in
 * flight finish on the supergraph they started with.
 */
@Context
public final class SupergraphLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupergraphLifecycle.class);

    private final RouterConfig config;
    private final RouterMetrics metrics = new RouterMetrics();
    private final NettySubgraphTransport http = new NettySubgraphTransport();
    /** The admin listener when no registry is followed (then it serves {@code /metrics} only); else null. */
    private RegistryAdminServer metricsOnlyAdmin;
    /** Every subgraph call goes through the subgraph's resilience (shared-policies' cluster), whatever answers it. */
    private final ResilientTransport transport;
    /** Connector subgraphs (REST, gRPC) are answered by these, in order; see {@link ConnectorProvider}. */
    private final java.util.List<ConnectorProvider> connectors =
            java.util.List.of(new io.atrium.router.connector.rest.RestConnectorProvider(
                    io.micrometer.core.instrument.Metrics.globalRegistry, http),
                    new io.atrium.router.connector.grpc.GrpcConnectorProvider());
    private final AtomicReference<LiveSupergraph> live = new AtomicReference<>();
    private final java.util.List<java.util.function.Consumer<RegistryState>> registryListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile RegistryState registryState;
    private final java.util.concurrent.atomic.AtomicLong reloadFailures = new java.util.concurrent.atomic.AtomicLong();
    private ScheduledExecutorService watcher;
    private RegistryMode.Running registry;
    private SubgraphsFollower subgraphs;
    private FileTime lastModified;

    public SupergraphLifecycle(@Value("${atrium.router.config:}") Optional<String> configFile,
                             @Value("${atrium.router.supergraph:}") Optional<String> supergraphFile,
                             @Value("${atrium.router.registry:}") Optional<String> registryStore,
                             @Value("${atrium.router.admin-host:127.0.0.1}") String adminHost,
                             @Value("${atrium.router.admin-port:9902}") int adminPort,
                             @Value("${atrium.router.admin-token:}") Optional<String> adminToken,
                             @Value("${atrium.router.subgraphs:}") Optional<String> subgraphsConfig,
                             @Value("${atrium.router.subgraphs-poll:10s}") Duration subgraphsPoll) {
        RouterConfig base = configFile.filter(s -> !s.isBlank())
                .map(f -> RouterConfigLoader.load(Path.of(f)))
                .orElse(RouterConfig.defaults());
        this.config = supergraphFile.filter(s -> !s.isBlank()).map(base::withSupergraph).orElse(base);
        this.transport = new ResilientTransport(http, new ResilientTransport.Clusters(config::resilienceFor,
                config::urlsFor, name -> new ResilienceMetrics(Metrics.globalRegistry, name).andThen(new ResilienceLog())));
        if (registryStore.filter(r -> !r.isBlank()).isPresent()) {
            // registry mode: the supergraph comes from the registry, whatever the config file names
            String token = adminToken.filter(t -> !t.isBlank()).orElse(System.getenv("ATRIUM_ROUTER_ADMIN_TOKEN"));
            registry = new RegistryMode(registryStore.get(), adminHost, adminPort, token).start(this::fromRegistry,
                    metrics::scrape);
            LOG.info("following the subgraph registry in {}; its admin API listens on {}:{}", registryStore.get(),
                    adminHost, registry.admin().port());
        } else {
            metricsOnlyAdmin = metricsListener(adminHost, adminPort, metrics);
        }
        if (registry != null) {
            // the supergraph comes from the registry, whose admin listener serves /metrics too
        } else if (subgraphsConfig.filter(c -> !c.isBlank()).isPresent()) {
            Path file = Path.of(subgraphsConfig.get());
            subgraphs = SubgraphsFollower.start(file, subgraphsPoll, sdl -> swapIn(sdl, "composed from " + file));
        } else if (config.supergraph() != null) {
            Path path = Path.of(config.supergraph());
            reload(path, true);
            if (config.hotReload()) {
                watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "supergraph-watch");
                    thread.setDaemon(true);
                    return thread;
                });
                watcher.scheduleWithFixedDelay(() -> poll(path), 500, 500, TimeUnit.MILLISECONDS);
            }
        } else {
            LOG.warn("no supergraph configured (atrium.router.supergraph, --registry, or 'supergraph' in the router "
                    + "config); /health stays 503 until one is loaded");
        }
    }

    /**
     * Without a registry the admin listener serves only {@code /metrics}; a port already taken (another router on
     * this host) leaves the router running without it, and says so.
     */
    private static RegistryAdminServer metricsListener(String host, int port, RouterMetrics metrics) {
        try {
            RegistryAdminServer server = RegistryAdminServer.start(host, port, null, metrics::scrape);
            LOG.info("metrics at http://{}:{}/metrics", host, server.port());
            return server;
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("no admin listener: {} (metrics are not served; set atrium.router.admin-port)", e.getMessage());
            return null;
        }
    }

    /** The admin listener's port (registry API and /metrics), or -1 when there is none. */
    public int adminPort() {
        if (registry != null) {
            return registry.admin().port();
        }
        return metricsOnlyAdmin == null ? -1 : metricsOnlyAdmin.port();
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** A new registry version: its supergraph goes live (the registry only stores supergraphs that compose). */
    private void fromRegistry(RegistryState state) {
        synchronized (this) { // listeners see versions in order, also the one registering now
            registryState = state;
            registryListeners.forEach(listener -> listener.accept(state));
        }
        if (state.supergraphSdl() == null) {
            LOG.info("registry version {} has no subgraphs yet; /health stays 503 until one is published",
                    state.version());
            return;
        }
        swapIn(state.supergraphSdl(), "registry version " + state.version());
    }

    /** Swaps a new supergraph in (unless it is the live one); one that does not load keeps the current one. */
    private void swapIn(String sdl, String from) {
        LiveSupergraph current = live.get();
        if (current != null && current.supergraph().sdl().equals(sdl)) {
            return;
        }
        try {
            Supergraph supergraph = SupergraphReader.read(sdl);
            live.set(new LiveSupergraph(supergraph, config, transport, connectors));
            LOG.info("supergraph {} from {} is live ({} subgraphs)", supergraph.version(), from,
                    supergraph.subgraphs().size());
        } catch (SupergraphException e) {
            reloadFailures.incrementAndGet();
            LOG.error("supergraph from {} was not loaded, keeping the current one: {}", from, e.getMessage());
        }
    }

    /**
     * Calls {@code listener} with every registry version from now on, and at once with the current one (a router
     * that follows no registry never calls it).
     */
    public synchronized void onRegistryVersion(java.util.function.Consumer<RegistryState> listener) {
        registryListeners.add(listener);
        RegistryState current = registryState;
        if (current != null) {
            listener.accept(current);
        }
    }

    /** The registry this router follows and serves on its admin listener, or null when it reads a file. */
    public RegistryMode.Running registry() {
        return registry;
    }

    public RouterConfig config() {
        return config;
    }




    /** The live supergraph, or null before one loaded. */
    public LiveSupergraph current() {
        return live.get();
    }

    /** How many changed supergraph files were refused since start-up. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    private void poll(Path path) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (!modified.equals(lastModified)) {
                reload(path, false);
            }
        } catch (IOException e) {
            LOG.warn("supergraph file {} cannot be checked: {}", path, e.getMessage());
        }
    }

    private void reload(Path path, boolean startup) {
        try {
            lastModified = Files.getLastModifiedTime(path);
            String sdl = Files.readString(path);
            LiveSupergraph current = live.get();
            if (current != null && current.supergraph().sdl().equals(sdl)) {
                return;
            }
            Supergraph supergraph = SupergraphReader.read(sdl);
            live.set(new LiveSupergraph(supergraph, config, transport, connectors));
            LOG.info("supergraph {} loaded from {} ({} subgraphs)", supergraph.version(), path,
                    supergraph.subgraphs().size());
        } catch (IOException | SupergraphException e) {
            if (startup) {
                LOG.error("supergraph {} not loaded: {}", path, e.getMessage());
            } else {
                reloadFailures.incrementAndGet();
                LOG.error("supergraph {} changed but was not loaded, keeping the current one: {}", path, e.getMessage());
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        if (registry != null) {
            registry.close();
        }
        if (subgraphs != null) {
            subgraphs.close();
        }
        if (metricsOnlyAdmin != null) {
            metricsOnlyAdmin.close();
        }
        http.close();
        metrics.close();
        connectors.forEach(ConnectorProvider::close);
    }
}

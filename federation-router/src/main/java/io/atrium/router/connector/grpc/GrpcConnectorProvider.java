package io.atrium.router.connector.grpc;

import io.atrium.router.config.ConnectorsConfig;
import io.atrium.router.config.GrpcTls;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.connector.BackendCalls;
import io.atrium.router.connector.ConnectorProvider;
import io.atrium.router.connector.ConnectorSubgraph;
import io.atrium.router.connector.ConnectorTransport;
import io.atrium.router.connector.EntityResolver;
import io.atrium.router.connector.FieldResolver;
import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphException;
import io.atrium.router.transcode.GrpcChannels;
import io.atrium.router.transcode.ProtoSchema;
import io.atrium.router.transcode.ReflectionClient;
import io.atrium.router.transport.SubgraphTransport;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the subgraphs named under {@code connectors.grpc} in the router config: the descriptors (descriptor set or
 * reflection) and the connector config give the same bindings the generator printed into the subgraph's SDL, and
 * {@link GrpcResolvers} answers them through the connector runtime. One channel per target and TLS settings, kept
 * across supergraphs. The descriptors are held to the hash the supergraph snapshotted ({@link DescriptorSnapshot}),
 * at connect and every {@code descriptor_check_interval_ms}.
 */
public final class GrpcConnectorProvider implements ConnectorProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcConnectorProvider.class);

    private final BackendCalls calls;
    /** grpc-java channels: server reflection only (the descriptors). */
    private final Map<ChannelKey, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** The calls themselves, on the router's event loops. */
    private final Map<ChannelKey, GrpcUnaryClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grpc-descriptor-check");
        thread.setDaemon(true);
        return thread;
    });

    public GrpcConnectorProvider() {
        this(Metrics.globalRegistry);
    }

    public GrpcConnectorProvider(MeterRegistry registry) {
        this.calls = new BackendCalls(registry, BackendCalls.DEFAULT_RESILIENCE);
    }

    @Override
    public Optional<SubgraphTransport> connect(Supergraph supergraph, Subgraph subgraph, RouterConfig config) {
        ConnectorsConfig.GrpcSubgraph settings = config.connectors().grpc().get(subgraph.name());
        if (settings == null) {
            return Optional.empty();
        }
        // the same resilience blocks as a GraphQL or REST subgraph (subgraph_defaults / subgraphs.<name>)
        calls.configure(subgraph.name(), config.resilienceFor(subgraph.name()).cluster());
        try {
            GrpcConnectorConfig connector = GrpcConnectorConfig.load(settings.connector());
            String target = settings.target() != null ? settings.target() : connector.target();
            // one channel and one call client per target and TLS settings: a changed tls block opens new ones
            ChannelKey key = new ChannelKey(target, settings.tls());
            GrpcUnaryClient client = clients.computeIfAbsent(key, k -> new GrpcUnaryClient(k.target(), k.tls()));
            ManagedChannel channel = channels.computeIfAbsent(key, k -> GrpcChannels.open(k.target(), k.tls(), true));
            DescriptorSource source = new DescriptorSource(settings.descriptorSet(), channel);
            ProtoSchema schema = source.load();
            GrpcSubgraphGenerator.Result generated = GrpcSubgraphGenerator.generate(schema, connector);
            generated.leftOut().forEach(m -> LOG.info("gRPC subgraph {}: {}", subgraph.name(), m));
            GrpcResolvers resolvers = new GrpcResolvers(subgraph.name(), schema, generated.bindings(), client, calls,
                    connector.metadata(), settings.entityConcurrency());
            Map<String, FieldResolver> fields = resolvers.fields();
            Map<String, EntityResolver> entities = resolvers.entities();
            Watch watch = watch(subgraph.name(), source, settings.descriptorCheckInterval());
            watch.connector = connector;
            watch.observed.set(generated.descriptorHash());
            DescriptorSnapshot snapshot = DescriptorSnapshot.of(supergraph, subgraph, watch.observed);
            if (snapshot != null) {
                watch.expected = snapshot.expected();
                fields = snapshot.guardFields(fields);
                entities = snapshot.guardEntities(entities);
            }
            return Optional.of(new ConnectorTransport(new ConnectorSubgraph(supergraph, subgraph, fields, entities),
                    settings.cacheControl()));
        } catch (RuntimeException e) {
            throw new SupergraphException("gRPC connector subgraph " + subgraph.name() + ": " + e.getMessage(), e);
        }
    }

    private record ChannelKey(String target, GrpcTls tls) {
    }

    /**
     * What the router sees of one subgraph's descriptors: the hash of the last read, shared by the snapshots of every
     * supergraph connected from the same source (so a transport still live keeps being checked when another
     * supergraph is connected), and re-read every {@code interval} (a descriptor set file only when its modification
     * time or size changed; a {@code classpath:} set never).
     */
    private static final class Watch {
        final DescriptorSource source;
        final AtomicReference<String> observed = new AtomicReference<>("");
        /** The snapshot of the supergraph connected last, for the log lines; null = none to hold to. */
        volatile String expected;
        /** The connector config of the last connect: which services the hash covers. */
        volatile GrpcConnectorConfig connector;
        ScheduledFuture<?> task;

        Watch(DescriptorSource source) {
            this.source = source;
        }
    }

    /** The subgraph's watch: the current one when the source is the same, else a new one replacing it. */
    private Watch watch(String subgraph, DescriptorSource source, Duration interval) {
        Watch current = watches.get(subgraph);
        if (current != null && current.source.sameAs(source)) {
            return current;
        }
        Watch watch = new Watch(source);
        if (!source.fixed()) {
            long millis = interval.toMillis();
            watch.task = checker.scheduleWithFixedDelay(() -> recheck(subgraph, watch), millis, millis,
                    TimeUnit.MILLISECONDS);
        }
        Watch previous = watches.put(subgraph, watch);
        if (previous != null && previous.task != null) {
            previous.task.cancel(false);
        }
        return watch;
    }

    private static void recheck(String subgraph, Watch watch) {
        try {
            if (!watch.source.changed()) {
                return;
            }
            String hash;
            try {
                hash = GrpcSubgraphGenerator.descriptorHash(watch.source.load(), watch.connector);
            } catch (IllegalArgumentException e) {
                hash = "services-missing"; // the configured services are gone: as changed as they get
            }
            String before = watch.observed.getAndSet(hash);
            String expected = watch.expected;
            if (expected != null && !hash.equals(before)) {
                DescriptorSnapshot.logChange(subgraph, expected, hash);
            }
        } catch (RuntimeException e) {
            // unreachable service or unreadable file: calls fail on their own; what was seen last stands
            LOG.atDebug().setMessage("gRPC descriptor re-check failed").addKeyValue("subgraph", subgraph)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    /** Where a subgraph's descriptors come from: a descriptor set ({@code classpath:} or a file) or reflection. */
    private static final class DescriptorSource {
        private final String descriptorSet;
        private final ManagedChannel channel;
        private String stamp;

        DescriptorSource(String descriptorSet, ManagedChannel channel) {
            this.descriptorSet = descriptorSet;
            this.channel = channel;
            this.stamp = stamp();
        }

        ProtoSchema load() {
            return descriptorSet != null ? ProtoSchema.load(descriptorSet)
                    : ProtoSchema.of(new ReflectionClient(channel, 10_000).files());
        }

        boolean sameAs(DescriptorSource other) {
            return java.util.Objects.equals(descriptorSet, other.descriptorSet) && channel == other.channel;
        }

        boolean fixed() {
            return descriptorSet != null && descriptorSet.startsWith("classpath:");
        }

        /** Reflection: always worth asking; a file: when its modification time or size moved since the last call. */
        boolean changed() {
            if (descriptorSet == null) {
                return true;
            }
            String now = stamp();
            boolean changed = !now.equals(stamp);
            stamp = now;
            return changed;
        }

        private String stamp() {
            if (descriptorSet == null || fixed()) {
                return "";
            }
            try {
                Path file = Path.of(descriptorSet);
                return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
            } catch (IOException e) {
                return "missing";
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        channels.values().forEach(GrpcChannels::close);
        clients.values().forEach(GrpcUnaryClient::close);
    }
}

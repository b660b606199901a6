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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the subgraphs named under {@code connectors.grpc} in the router config: the descriptors (descriptor set or
 * reflection) and the connector config give the same bindings the generator printed into the subgraph's SDL, and
 * {@link GrpcResolvers} answers them through the connector runtime. One channel per target, kept across supergraphs.
 */
public final class GrpcConnectorProvider implements ConnectorProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcConnectorProvider.class);

    private final BackendCalls calls;
    private final Map<ChannelKey, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> watches = new ConcurrentHashMap<>();
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
        try {
            GrpcConnectorConfig connector = GrpcConnectorConfig.load(settings.connector());
            String target = settings.target() != null ? settings.target() : connector.target();
            // one channel per target and TLS settings: a changed tls block opens a new channel
            ManagedChannel channel = channels.computeIfAbsent(new ChannelKey(target, settings.tls()),
                    key -> GrpcChannels.open(key.target(), key.tls(), false));
            DescriptorSource source = new DescriptorSource(settings.descriptorSet(), channel);
            ProtoSchema schema = source.load();
            GrpcSubgraphGenerator.Result generated = GrpcSubgraphGenerator.generate(schema, connector);
            generated.leftOut().forEach(m -> LOG.info("gRPC subgraph {}: {}", subgraph.name(), m));
            GrpcResolvers resolvers = new GrpcResolvers(subgraph.name(), schema, generated.bindings(), channel, calls,
                    connector.metadata(), settings.entityConcurrency());
            Map<String, FieldResolver> fields = resolvers.fields();
            Map<String, EntityResolver> entities = resolvers.entities();
            DescriptorSnapshot snapshot = DescriptorSnapshot.of(supergraph, subgraph, generated.descriptorHash());
            if (snapshot != null) {
                fields = snapshot.guardFields(fields);
                entities = snapshot.guardEntities(entities);
                watch(subgraph.name(), snapshot, source, connector, settings.descriptorCheckInterval());
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
     * Re-reads the descriptors every {@code interval} (a descriptor set file only when its modification time or size
     * changed; a {@code classpath:} set never) and holds their hash to the snapshot. One watch per subgraph: the
     * supergraph connected last replaces the previous one's.
     */
    private void watch(String subgraph, DescriptorSnapshot snapshot, DescriptorSource source,
                       GrpcConnectorConfig connector, Duration interval) {
        ScheduledFuture<?> previous;
        if (source.fixed()) {
            previous = watches.remove(subgraph);
        } else {
            long millis = interval.toMillis();
            previous = watches.put(subgraph, checker.scheduleWithFixedDelay(() -> {
                try {
                    if (source.changed()) {
                        snapshot.update(GrpcSubgraphGenerator.descriptorHash(source.load(), connector));
                    }
                } catch (IllegalArgumentException e) {
                    // the configured services are gone from the descriptors: as changed as they get
                    snapshot.update("services-missing");
                } catch (RuntimeException e) {
                    // unreachable service or unreadable file: calls fail on their own; the snapshot stands
                    LOG.atDebug().setMessage("gRPC descriptor re-check failed").addKeyValue("subgraph", subgraph)
                            .addKeyValue("error", e.getMessage()).log();
                }
            }, millis, millis, TimeUnit.MILLISECONDS));
        }
        if (previous != null) {
            previous.cancel(false);
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
    }
}

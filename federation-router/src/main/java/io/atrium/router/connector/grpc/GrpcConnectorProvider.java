package io.atrium.router.connector.grpc;

import io.atrium.router.config.ConnectorsConfig;
import io.atrium.router.config.GrpcTls;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.connector.BackendCalls;
import io.atrium.router.connector.ConnectorProvider;
import io.atrium.router.connector.ConnectorSubgraph;
import io.atrium.router.connector.ConnectorTransport;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
            ProtoSchema schema = settings.descriptorSet() != null ? ProtoSchema.load(settings.descriptorSet())
                    : ProtoSchema.of(new ReflectionClient(channel, 10_000).files());
            GrpcSubgraphGenerator.Result generated = GrpcSubgraphGenerator.generate(schema, connector);
            generated.leftOut().forEach(m -> LOG.info("gRPC subgraph {}: {}", subgraph.name(), m));
            GrpcResolvers resolvers = new GrpcResolvers(subgraph.name(), schema, generated.bindings(), channel, calls,
                    connector.metadata(), settings.entityConcurrency());
            return Optional.of(new ConnectorTransport(new ConnectorSubgraph(supergraph, subgraph, resolvers.fields(),
                    resolvers.entities()), settings.cacheControl()));
        } catch (RuntimeException e) {
            throw new SupergraphException("gRPC connector subgraph " + subgraph.name() + ": " + e.getMessage(), e);
        }
    }

    private record ChannelKey(String target, GrpcTls tls) {
    }

    @Override
    public void close() {
        channels.values().forEach(GrpcChannels::close);
    }
}

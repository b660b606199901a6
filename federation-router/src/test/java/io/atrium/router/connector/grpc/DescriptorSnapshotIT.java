package io.atrium.router.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.atrium.router.config.RouterConfigLoader;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.transcode.ProtoSchema;
import io.atrium.router.transcode.ReflectionClient;
import io.atrium.router.transport.SubgraphRequest;
import io.atrium.router.transport.SubgraphResponse;
import io.atrium.router.transport.SubgraphTransport;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.testing.integration.TestServiceImpl;
import io.grpc.util.MutableHandlerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The descriptor hash a generated gRPC subgraph snapshots in {@code @grpcSource}: carried into the composed supergraph
 * and re-checked by the router against a real service (grpc-java's interop {@code TestService}) whose descriptors
 * change under it — served by reflection, and from a descriptor set file. While they differ the subgraph's fields
 * answer {@code GRPC_DESCRIPTORS_CHANGED}; when they match again they are answered.
 */
class DescriptorSnapshotIT {
    private static final String CONNECTOR = """
            format_version: 1
            subgraph: interop
            target: 127.0.0.1:1
            services: [grpc.testing.TestService]
            operations:
              grpc.testing.TestService.UnaryCall: {field: unary, kind: query}
            """;
    private static ScheduledExecutorService executor;
    private static MutableHandlerRegistry registry;
    private static Server server;
    private static ManagedChannel channel;
    private static ServerServiceDefinition original;
    private static ServerServiceDefinition changed;
    private static FileDescriptor changedFile;
    private static Path dir;
    private static Path connector;
    private static Supergraph supergraph;
    private static String hash;

    @BeforeAll
    static void start() throws Exception {
        executor = Executors.newSingleThreadScheduledExecutor();
        original = new TestServiceImpl(executor).bindService();
        changedFile = withExtraMethod(file(original));
        changed = describedBy(original, changedFile);
        registry = new MutableHandlerRegistry();
        registry.addService(original);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .fallbackHandlerRegistry(registry)
                .addService(ProtoReflectionServiceV1.newInstance())
                .build().start();
        channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create()).build();
        dir = Files.createTempDirectory("descriptor-snapshot");
        connector = dir.resolve("interop.grpc.yaml");
        Files.writeString(connector, CONNECTOR);
        // generated from reflection, as ./atrium connector grpc --reflection does, and composed
        GrpcSubgraphGenerator.Result generated = GrpcSubgraphGenerator.generate(
                ProtoSchema.of(new ReflectionClient(channel, 5_000).files()), GrpcConnectorConfig.load(connector));
        hash = generated.descriptorHash();
        supergraph = ((CompositionResult.Composed) Composer.compose(List.of(new SubgraphSource("interop",
                "http://interop.invalid/graphql", generated.sdl())))).supergraph();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static FileDescriptor file(ServerServiceDefinition service) {
        return ((ProtoFileDescriptorSupplier) service.getServiceDescriptor().getSchemaDescriptor()).getFileDescriptor();
    }

    /** test.proto with one more method on TestService: what a service's next release looks like to reflection. */
    private static FileDescriptor withExtraMethod(FileDescriptor file) throws Descriptors.DescriptorValidationException {
        FileDescriptorProto.Builder proto = file.toProto().toBuilder();
        for (ServiceDescriptorProto.Builder service : proto.getServiceBuilderList()) {
            if (service.getName().equals("TestService")) {
                service.addMethod(service.getMethod(0).toBuilder().setName("EmptyCallAgain"));
            }
        }
        return FileDescriptor.buildFrom(proto.build(), file.getDependencies().toArray(new FileDescriptor[0]));
    }

    /** The same handlers, described (for reflection) by {@code file}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServerServiceDefinition describedBy(ServerServiceDefinition service, FileDescriptor file) {
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(service.getServiceDescriptor().getName())
                .setSchemaDescriptor((ProtoFileDescriptorSupplier) () -> file);
        service.getServiceDescriptor().getMethods().forEach(descriptor::addMethod);
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            builder.addMethod((ServerMethodDefinition) method);
        }
        return builder.build();
    }

    private static void writeSet(Path file, FileDescriptor main) throws Exception {
        Map<String, FileDescriptorProto> closure = new LinkedHashMap<>();
        ArrayDeque<FileDescriptor> pending = new ArrayDeque<>(List.of(main));
        while (!pending.isEmpty()) {
            FileDescriptor next = pending.poll();
            if (closure.putIfAbsent(next.getName(), next.toProto()) == null) {
                pending.addAll(next.getDependencies());
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, FileDescriptorSet.newBuilder().addAllFile(closure.values()).build().toByteArray());
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static SubgraphTransport connect(GrpcConnectorProvider provider, String descriptorSet) {
        return provider.connect(supergraph, supergraph.subgraphNamed("interop"), RouterConfigLoader.parse("""
                format_version: 1
                connectors:
                  grpc:
                    interop:
                      connector: %s
                      target: 127.0.0.1:%d
                      descriptor_check_interval_ms: 100
                      %s
                """.formatted(connector, server.getPort(),
                descriptorSet == null ? "" : "descriptor_set: " + descriptorSet))).orElseThrow();
    }

    private static SubgraphResponse fetch(SubgraphTransport transport) {
        return transport.fetch(new SubgraphRequest("interop", URI.create("http://interop.invalid/graphql"), "{ unary(responseSize: 2) { payload { body } } }",
                null, Map.of(), Duration.ofSeconds(5), Map.of())).toCompletableFuture().join();
    }

    private static final Predicate<SubgraphResponse> ANSWERED = r -> r.errors().isEmpty()
            && Map.of("unary", Map.of("payload", Map.of("body", "AAA="))).equals(r.data());
    private static final Predicate<SubgraphResponse> REFUSED = r -> r.errors().size() == 1
            && "GRPC_DESCRIPTORS_CHANGED".equals(((Map<?, ?>) r.errors().getFirst().get("extensions")).get("code"));

    /** Fetches until {@code condition} holds, at most 10 s: the re-check runs every 100 ms. */
    private static SubgraphResponse await(SubgraphTransport transport, Predicate<SubgraphResponse> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SubgraphResponse response = fetch(transport);
        while (!condition.test(response) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = fetch(transport);
        }
        return response;
    }

    @Test
    void theSnapshotIsCarriedIntoTheSupergraphAndIsTheSameFromReflectionAndADescriptorSet() throws Exception {
        assertThat(supergraph.sdl()).contains("@join__directive(graphs: [INTEROP], name: \"grpcSource\", args: "
                + "{target: \"127.0.0.1:1\", descriptorHash: \"" + hash + "\"");
        Path set = dir.resolve("same.desc");
        writeSet(set, file(original));
        assertThat(GrpcSubgraphGenerator.descriptorHash(ProtoSchema.load(set.toString()),
                GrpcConnectorConfig.load(connector))).isEqualTo(hash);
    }

    @Test
    void aReflectedServiceThatChangesFailsTheSubgraphsFieldsUntilItMatchesAgain() throws Exception {
        try (GrpcConnectorProvider provider = new GrpcConnectorProvider(new SimpleMeterRegistry())) {
            SubgraphTransport transport = connect(provider, null);
            assertThat(ANSWERED).accepts(fetch(transport));
            registry.addService(changed);
            try {
                SubgraphResponse refused = await(transport, REFUSED);
                assertThat(REFUSED).accepts(refused);
                assertThat(refused.data()).isEqualTo(java.util.Collections.singletonMap("unary", null));
                Map<?, ?> error = refused.errors().getFirst();
                assertThat(error.get("path")).isEqualTo(List.of("unary"));
                assertThat(((Map<?, ?>) error.get("extensions")).get("snapshotHash")).isEqualTo(hash);
                // a supergraph connected while the service differs is refused from its first call
                assertThat(REFUSED).accepts(fetch(connect(provider, null)));
            } finally {
                registry.addService(original);
            }
            assertThat(ANSWERED).accepts(await(transport, ANSWERED));
        }
    }

    @Test
    void aDescriptorSetFileThatChangesIsReCheckedToo() throws Exception {
        Path set = dir.resolve("interop.desc");
        writeSet(set, file(original));
        try (GrpcConnectorProvider provider = new GrpcConnectorProvider(new SimpleMeterRegistry())) {
            SubgraphTransport transport = connect(provider, set.toString());
            assertThat(ANSWERED).accepts(fetch(transport));
            writeSet(set, changedFile);
            assertThat(REFUSED).accepts(await(transport, REFUSED));
            writeSet(set, file(original));
            assertThat(ANSWERED).accepts(await(transport, ANSWERED));
        }
    }
}

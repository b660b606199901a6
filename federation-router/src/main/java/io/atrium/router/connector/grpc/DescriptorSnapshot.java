package io.atrium.router.connector.grpc;

import graphql.language.ArrayValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.atrium.router.connector.ConnectorException;
import io.atrium.router.connector.EntityBatching;
import io.atrium.router.connector.EntityCall;
import io.atrium.router.connector.EntityResolver;
import io.atrium.router.connector.FieldResolver;
import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The descriptor hash a gRPC subgraph was generated from, as the supergraph carries it
 * ({@code @join__directive(graphs: [G], name: "grpcSource", args: {descriptorHash: …})}), held against the hash of the
 * descriptors the router sees now. While they differ, every field and entity of the subgraph fails with
 * {@value #CODE} instead of calling the service with bindings made for other descriptors; matching again (the
 * descriptors changed back, or a supergraph generated from the new ones is published) lifts it.
 */
final class DescriptorSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorSnapshot.class);
    static final String CODE = "GRPC_DESCRIPTORS_CHANGED";

    private final String subgraph;
    private final String expected;
    /** The hash of the descriptors seen last, shared by every snapshot of the subgraph from the same source. */
    private final AtomicReference<String> observed;

    private DescriptorSnapshot(String subgraph, String expected, AtomicReference<String> observed) {
        this.subgraph = subgraph;
        this.expected = expected;
        this.observed = observed;
    }

    /**
     * @param observed the hash of the descriptors seen now, kept up to date by the provider's re-check
     * @return the check, or null when the supergraph carries no snapshot for the subgraph (nothing to hold to)
     */
    static DescriptorSnapshot of(Supergraph supergraph, Subgraph subgraph, AtomicReference<String> observed) {
        String expected = expectedHash(supergraph.sdl(), subgraph.graphEnum());
        if (expected == null) {
            LOG.atInfo().setMessage("gRPC subgraph has no descriptor snapshot in the supergraph; descriptors not checked")
                    .addKeyValue("subgraph", subgraph.name()).log();
            return null;
        }
        DescriptorSnapshot snapshot = new DescriptorSnapshot(subgraph.name(), expected, observed);
        if (!snapshot.matches()) {
            logChange(subgraph.name(), expected, observed.get());
        }
        return snapshot;
    }

    String expected() {
        return expected;
    }

    boolean matches() {
        return expected.equals(observed.get());
    }

    /** One line when the descriptors seen move away from the snapshot {@code expected} (WARN) or back to it (INFO). */
    static void logChange(String subgraph, String expected, String hash) {
        if (!expected.equals(hash)) {
            LOG.atWarn().setMessage("gRPC descriptors differ from the supergraph's snapshot; the subgraph's fields fail "
                            + "until it is regenerated and republished")
                    .addKeyValue("subgraph", subgraph).addKeyValue("code", CODE)
                    .addKeyValue("snapshot_hash", abbreviated(expected))
                    .addKeyValue("descriptor_hash", abbreviated(hash)).log();
        } else {
            LOG.atInfo().setMessage("gRPC descriptors match the supergraph's snapshot again; the subgraph is served")
                    .addKeyValue("subgraph", subgraph).addKeyValue("snapshot_hash", abbreviated(expected)).log();
        }
    }

    private static String abbreviated(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) : hash;
    }

    private ConnectorException error() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", CODE);
        extensions.put("subgraph", subgraph);
        extensions.put("snapshotHash", expected);
        extensions.put("descriptorHash", observed.get());
        return new ConnectorException("the gRPC service's descriptors changed since subgraph '" + subgraph
                + "' was generated; regenerate and republish it", extensions);
    }

    /** The resolvers, answering {@value #CODE} while the descriptors differ. */
    Map<String, FieldResolver> guardFields(Map<String, FieldResolver> fields) {
        Map<String, FieldResolver> guarded = new LinkedHashMap<>();
        fields.forEach((coordinate, resolver) -> guarded.put(coordinate,
                call -> matches() ? resolver.resolve(call) : CompletableFuture.failedFuture(error())));
        return guarded;
    }

    Map<String, EntityResolver> guardEntities(Map<String, EntityResolver> entities) {
        Map<String, EntityResolver> guarded = new LinkedHashMap<>();
        entities.forEach((type, resolver) -> guarded.put(type, new EntityResolver() {
            @Override
            public EntityBatching batching() {
                return resolver.batching();
            }

            @Override
            public CompletionStage<List<Object>> resolve(EntityCall call) {
                return matches() ? resolver.resolve(call) : CompletableFuture.failedFuture(error());
            }
        }));
        return guarded;
    }

    /** {@code descriptorHash} of the {@code grpcSource} join directive of {@code graph} on the supergraph's schema. */
    static String expectedHash(String supergraphSdl, String graph) {
        Document document = Parser.parse(ParserEnvironment.newParserEnvironment().document(supergraphSdl)
                .parserOptions(ParserOptions.getDefaultSdlParserOptions()).build());
        for (Definition<?> definition : document.getDefinitions()) {
            if (!(definition instanceof SchemaDefinition schema)) {
                continue;
            }
            for (Directive directive : schema.getDirectives("join__directive")) {
                if (!(directive.getArgument("name") != null
                        && directive.getArgument("name").getValue() instanceof StringValue name
                        && name.getValue().equals("grpcSource"))) {
                    continue;
                }
                if (directive.getArgument("graphs") == null
                        || !(directive.getArgument("graphs").getValue() instanceof ArrayValue graphs)
                        || graphs.getValues().stream().noneMatch(v -> v instanceof EnumValue e && e.getName().equals(graph))) {
                    continue;
                }
                if (directive.getArgument("args") != null && directive.getArgument("args").getValue() instanceof ObjectValue args) {
                    for (ObjectField field : args.getObjectFields()) {
                        if (field.getName().equals("descriptorHash") && field.getValue() instanceof StringValue hash) {
                            return hash.getValue();
                        }
                    }
                }
            }
        }
        return null;
    }
}

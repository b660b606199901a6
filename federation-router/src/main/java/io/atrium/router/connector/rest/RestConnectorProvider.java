package io.atrium.router.connector.rest;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.atrium.router.config.ConnectorsConfig;
import io.atrium.router.config.RouterConfig;
import io.atrium.router.connector.BackendCalls;
import io.atrium.router.connector.ConnectorProvider;
import io.atrium.router.connector.ConnectorSubgraph;
import io.atrium.router.connector.ConnectorTransport;
import io.atrium.router.connector.EntityBatching;
import io.atrium.router.connector.EntityCall;
import io.atrium.router.connector.EntityResolver;
import io.atrium.router.connector.FieldResolver;
import io.atrium.router.connector.rest.ConnectSpec.Connect;
import io.atrium.router.connector.rest.ConnectSpec.Source;
import io.atrium.router.supergraph.EntityKey;
import io.atrium.router.supergraph.Subgraph;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphException;
import io.atrium.router.supergraph.TypeInGraph;
import io.atrium.router.supergraph.TypeMeta;
import io.atrium.router.transport.SubgraphTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Serves subgraphs that use Apollo Connectors ({@code @source}/{@code @connect}, connect spec v0.1–v0.3, as Apollo's
 * composition writes them into the supergraph): each {@code @connect} on a field becomes a {@link FieldResolver}, each
 * on an entity type (or a Query field with {@code entity: true}) an {@link EntityResolver} — batched by key when its
 * request reads {@code $batch}, one call per entity (concurrency-capped) otherwise.
 *
 * <p>Beyond Apollo: abstract types (a selection gives {@code __typename}), circular types (the operation decides how
 * deep to go; nothing is expanded ahead), and connectors on fields with {@code @fromContext} arguments (the planner
 * passes the context value as the argument, so it is in {@code $args}).
 */
public final class RestConnectorProvider implements ConnectorProvider {

    /** Entities per batched call when the connector sets no {@code batch.maxSize}. */
    static final int DEFAULT_BATCH_SIZE = 100;

    private final HttpClient http;
    private final io.atrium.router.transport.NettySubgraphTransport netty;
    private final BackendCalls calls;
    /** The last supergraph's parsed SDL: every subgraph of one supergraph is asked in turn. */
    private volatile ParsedSupergraph parsed;

    private record ParsedSupergraph(String version, Document document) {
    }

    public RestConnectorProvider() {
        this(Metrics.globalRegistry);
    }

    public RestConnectorProvider(MeterRegistry registry) {
        this(registry, null);
    }

    /**
     * @param netty the router's subgraph client: {@code http} backends are then called on the event loop that handles
     *              the request, as GraphQL subgraphs are (null: the JDK client for every backend)
     */
    public RestConnectorProvider(MeterRegistry registry, io.atrium.router.transport.NettySubgraphTransport netty) {
        this.netty = netty;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.calls = new BackendCalls(registry, BackendCalls.DEFAULT_RESILIENCE);
    }

    /** @throws SupergraphException naming the connector when one does not compile (the supergraph is then refused) */
    @Override
    public Optional<SubgraphTransport> connect(Supergraph supergraph, Subgraph subgraph, RouterConfig config) {
        try {
            return serve(supergraph, subgraph, config);
        } catch (IllegalArgumentException e) {
            throw new SupergraphException("connector subgraph " + subgraph.name() + ": " + e.getMessage(), e);
        }
    }

    private Optional<SubgraphTransport> serve(Supergraph supergraph, Subgraph subgraph, RouterConfig config) {
        ConnectDirectives.Found found = ConnectDirectives.find(document(supergraph), subgraph.graphEnum(), subgraph.name());
        if (found == null) {
            return Optional.empty();
        }
        ConnectorsConfig.RestSubgraph settings = config.connectors().restFor(subgraph.name());
        calls.configure(subgraph.name(), config.resilienceFor(subgraph.name()).cluster());
        Map<String, FieldResolver> fields = new LinkedHashMap<>();
        Map<String, EntityResolver> entities = new LinkedHashMap<>();
        Map<String, EntityResolver> entityFields = new LinkedHashMap<>();
        for (Connect connect : found.connects()) {
            RestConnector connector = compile(subgraph, found, connect, settings);
            if (connect.fieldName() == null) {
                entities.put(connect.typeName(), typeEntity(supergraph, subgraph, connector, settings));
                continue;
            }
            String coordinate = connect.typeName() + "." + connect.fieldName();
            fields.putIfAbsent(coordinate, fieldResolver(connector));
            if (connect.entity()) {
                String type = supergraph.type(connect.typeName()).field(connect.fieldName()).namedType();
                entityFields.putIfAbsent(type, fieldEntity(connector, settings));
            }
        }
        entityFields.forEach(entities::putIfAbsent);
        return Optional.of(new ConnectorTransport(new ConnectorSubgraph(supergraph, subgraph, fields, entities)));
    }

    private Document document(Supergraph supergraph) {
        ParsedSupergraph current = parsed;
        if (current == null || !current.version().equals(supergraph.version())) {
            current = new ParsedSupergraph(supergraph.version(), ConnectDirectives.parse(supergraph.sdl()));
            parsed = current;
        }
        return current.document();
    }

    private RestConnector compile(Subgraph subgraph, ConnectDirectives.Found found, Connect connect,
                                  ConnectorsConfig.RestSubgraph settings) {
        Source source = null;
        if (connect.source() != null) {
            source = found.sources().get(connect.source());
            if (source == null) {
                throw new IllegalArgumentException(connect.coordinate() + " names @source \"" + connect.source()
                        + "\", which subgraph " + subgraph.name() + " does not declare");
            }
        } else if (!connect.url().isAbsolute()) {
            throw new IllegalArgumentException(connect.coordinate() + " has a relative URL but no source");
        }
        return new RestConnector(subgraph.name(), connect, source,
                source == null ? null : settings.baseUrls().get(source.name()), settings.config(), http, netty, calls);
    }

    private static FieldResolver fieldResolver(RestConnector connector) {
        return call -> {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("$args", call.arguments());
            if (call.parent() != null) {
                inputs.put("$this", call.parent());
            }
            return connector.call(inputs, call.context());
        };
    }

    /** {@code @connect(entity: true)} on a Query field: the key fields are the field's arguments. */
    private static EntityResolver fieldEntity(RestConnector connector, ConnectorsConfig.RestSubgraph settings) {
        return new EntityResolver() {
            @Override
            public EntityBatching batching() {
                return EntityBatching.single(settings.entityConcurrency());
            }

            @Override
            public CompletionStage<List<Object>> resolve(EntityCall call) {
                return connector.call(Map.of("$args", withoutTypename(call.representations().getFirst())), call.context(),
                        RestConnectorProvider::listOfOne);
            }
        };
    }

    /** {@code @connect} on an entity type: {@code $batch} (one call for many keys) or {@code $this} (one per entity). */
    private static EntityResolver typeEntity(Supergraph supergraph, Subgraph subgraph, RestConnector connector,
                                             ConnectorsConfig.RestSubgraph settings) {
        Connect connect = connector.spec();
        EntityBatching batching = connect.usesBatch()
                ? EntityBatching.byKey(keyPaths(supergraph, subgraph, connect),
                        connect.batchMaxSize() > 0 ? connect.batchMaxSize() : DEFAULT_BATCH_SIZE, settings.entityConcurrency())
                : EntityBatching.single(settings.entityConcurrency());
        return new EntityResolver() {
            @Override
            public EntityBatching batching() {
                return batching;
            }

            @Override
            public CompletionStage<List<Object>> resolve(EntityCall call) {
                if (batching.match() == EntityBatching.Match.SINGLE) {
                    return connector.call(Map.of("$this", call.representations().getFirst()), call.context(),
                            RestConnectorProvider::listOfOne);
                }
                List<Object> batch = new ArrayList<>(call.representations().size());
                for (Map<String, Object> representation : call.representations()) {
                    batch.add(withoutTypename(representation));
                }
                return connector.call(Map.of("$batch", batch), call.context(),
                        result -> result instanceof List<?> list ? new ArrayList<Object>(list) : listOfOne(result));
            }
        };
    }

    private static List<Object> listOfOne(Object value) {
        List<Object> list = new ArrayList<>(1);
        if (value != null) {
            list.add(value);
        }
        return list;
    }

    /** A representation as {@code $batch} shows it (package-private for its test). */
    static Map<String, Object> withoutTypename(Map<String, Object> representation) {
        return new WithoutTypename(representation);
    }

    /**
     * A representation as {@code $batch} shows it: without {@code __typename}, read through rather than copied (a
     * batch selection usually reads one key field of each).
     */
    private static final class WithoutTypename extends AbstractMap<String, Object> {
        private final Map<String, Object> representation;
        private Set<Entry<String, Object>> entries;

        WithoutTypename(Map<String, Object> representation) {
            this.representation = representation;
        }

        @Override
        public Object get(Object key) {
            return "__typename".equals(key) ? null : representation.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return !"__typename".equals(key) && representation.containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            if (entries == null) {
                Map<String, Object> copy = new LinkedHashMap<>(representation);
                copy.remove("__typename");
                entries = Collections.unmodifiableMap(copy).entrySet();
            }
            return entries;
        }
    }

    /** The paths of the type's first resolvable key in this subgraph: how batch results are matched. */
    private static List<List<String>> keyPaths(Supergraph supergraph, Subgraph subgraph, Connect connect) {
        TypeMeta type = supergraph.type(connect.typeName());
        TypeInGraph inGraph = type == null ? null : type.graphs().get(subgraph.graphEnum());
        if (inGraph != null) {
            for (EntityKey key : inGraph.keys()) {
                if (key.resolvable()) {
                    List<List<String>> paths = new ArrayList<>();
                    collect(key.selection(), new ArrayList<>(), paths);
                    return paths;
                }
            }
        }
        throw new IllegalArgumentException(connect.coordinate() + " uses $batch but " + connect.typeName()
                + " has no resolvable @key in subgraph " + subgraph.name());
    }

    private static void collect(SelectionSet set, List<String> prefix, List<List<String>> into) {
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                List<String> path = new ArrayList<>(prefix);
                path.add(field.getName());
                if (field.getSelectionSet() == null) {
                    into.add(List.copyOf(path));
                } else {
                    collect(field.getSelectionSet(), path, into);
                }
            }
        }
    }
}

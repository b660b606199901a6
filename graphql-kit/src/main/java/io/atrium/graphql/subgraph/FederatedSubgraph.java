package io.atrium.graphql.subgraph;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaExtensionDefinition;
import graphql.language.UnionTypeDefinition;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeRuntimeWiring;
import io.atrium.graphql.schema.LinkedDirectives;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A Federation v2 subgraph served in-process on graphql-java (federation-jvm 6 is built for graphql-java 25 and does
 * not link against the graphql-java 26 Atrium uses). The SDL given is what the registry composes (with its
 * {@code @link}, {@code @key}, {@code @requires}, {@code @tag}); execution uses a copy without directives plus the
 * subgraph protocol: {@code _service { sdl }} and {@code _entities(representations:)}, each representation handed to
 * its type's entity resolver (the representation itself when none is registered: the key and any {@code @requires}
 * fields are then what the type's field fetchers read).
 */
public final class FederatedSubgraph {
    private final String sdl;
    private final GraphQL graphql;

    private FederatedSubgraph(String sdl, GraphQL graphql) {
        this.sdl = sdl;
        this.graphql = graphql;
    }

    public static Builder builder(String sdl) {
        return new Builder(sdl);
    }

    /** The SDL the registry composes. */
    public String sdl() {
        return sdl;
    }

    /** Runs one subgraph request; completes with the GraphQL response ({@code data}, {@code errors}). */
    public CompletionStage<Map<String, Object>> execute(String query, String operationName, Map<String, Object> variables) {
        ExecutionInput input = ExecutionInput.newExecutionInput().query(query == null ? "" : query)
                .operationName(operationName).variables(variables == null ? Map.of() : variables).build();
        return graphql.executeAsync(input).thenApply(ExecutionResult::toSpecification);
    }

    /** Fetchers for the subgraph's fields and entity resolvers per type. */
    public static final class Builder {
        private final String sdl;
        private final Map<String, Map<String, DataFetcher>> fetchers = new LinkedHashMap<>();
        private final Map<String, Function<Map<String, Object>, Object>> entities = new LinkedHashMap<>();

        private Builder(String sdl) {
            this.sdl = sdl;
        }

        /** A fetcher for {@code type.field} (the source of an entity's field is its resolved value, a map). */
        public Builder field(String type, String field, DataFetcher<?> fetcher) {
            fetchers.computeIfAbsent(type, k -> new LinkedHashMap<>()).put(field, fetcher);
            return this;
        }

        /**
         * How a representation of {@code type} becomes its value; the result may be a map, a
         * {@code CompletionStage} of one, or null (not found).
         */
        public Builder entity(String type, Function<Map<String, Object>, Object> resolver) {
            entities.put(type, resolver);
            return this;
        }

        public FederatedSubgraph build() {
            Document document = LinkedDirectives.parseSdl(sdl);
            Set<String> entityTypes = new TreeSet<>();
            List<Definition> executable = new ArrayList<>();
            boolean hasQuery = false;
            for (Definition<?> definition : document.getDefinitions()) {
                if (definition instanceof SchemaExtensionDefinition || definition instanceof graphql.language.DirectiveDefinition) {
                    continue;
                }
                if (definition instanceof ObjectTypeDefinition o && !o.getDirectives("key").isEmpty()) {
                    entityTypes.add(o.getName());
                }
                if (definition instanceof ObjectTypeDefinition o && o.getName().equals("Query")
                        && !(definition instanceof graphql.language.ObjectTypeExtensionDefinition)) {
                    hasQuery = true;
                }
                executable.add(withoutDirectives(definition));
            }
            StringBuilder protocol = new StringBuilder("scalar _Any\ntype _Service { sdl: String! }\n");
            if (!entityTypes.isEmpty()) {
                protocol.append("union _Entity = ").append(String.join(" | ", entityTypes)).append('\n');
            }
            protocol.append(hasQuery ? "extend type Query {" : "type Query {").append(" _service: _Service!");
            if (!entityTypes.isEmpty()) {
                protocol.append(" _entities(representations: [_Any!]!): [_Entity]!");
            }
            protocol.append(" }\n");
            TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(
                    Document.newDocument().definitions(executable).build());
            registry.merge(new SchemaParser().parse(protocol.toString()));
            GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(registry, wiring(entityTypes));
            return new FederatedSubgraph(sdl, GraphQL.newGraphQL(schema).build());
        }

        private RuntimeWiring wiring(Set<String> entityTypes) {
            RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().scalar(ANY);
            Map<String, DataFetcher> query = new LinkedHashMap<>(fetchers.getOrDefault("Query", Map.of()));
            query.put("_service", env -> Map.of("sdl", sdl));
            query.put("_entities", this::entities);
            fetchers.forEach((type, fields) -> {
                if (!type.equals("Query")) {
                    wiring.type(TypeRuntimeWiring.newTypeWiring(type).dataFetchers(fields));
                }
            });
            wiring.type(TypeRuntimeWiring.newTypeWiring("Query").dataFetchers(query));
            if (!entityTypes.isEmpty()) {
                wiring.type(TypeRuntimeWiring.newTypeWiring("_Entity").typeResolver(env -> {
                    Object typename = env.getObject() instanceof Map<?, ?> m ? m.get("__typename") : null;
                    return typename == null ? null : env.getSchema().getObjectType(typename.toString());
                }));
            }
            return wiring.build();
        }

        @SuppressWarnings("unchecked")
        private Object entities(graphql.schema.DataFetchingEnvironment env) {
            List<Object> representations = env.getArgument("representations");
            List<CompletableFuture<Object>> values = new ArrayList<>();
            for (Object item : representations) {
                Map<String, Object> representation = (Map<String, Object>) item;
                String typename = String.valueOf(representation.get("__typename"));
                Function<Map<String, Object>, Object> resolver = entities.get(typename);
                Object value = resolver == null ? representation : resolver.apply(representation);
                CompletableFuture<Object> future = value instanceof CompletionStage<?> stage
                        ? (CompletableFuture<Object>) stage.toCompletableFuture() : CompletableFuture.completedFuture(value);
                values.add(future.thenApply(v -> withTypename(v, typename)));
            }
            return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new))
                    .thenApply(done -> values.stream().map(CompletableFuture::join).toList());
        }

        @SuppressWarnings("unchecked")
        private static Object withTypename(Object value, String typename) {
            if (!(value instanceof Map<?, ?> map) || map.containsKey("__typename")) {
                return value;
            }
            Map<String, Object> typed = new LinkedHashMap<>((Map<String, Object>) map);
            typed.put("__typename", typename);
            return typed;
        }
    }

    private static Definition<?> withoutDirectives(Definition<?> definition) {
        return switch (definition) {
            case ObjectTypeDefinition o -> o.transform(b -> b.directives(List.of())
                    .fieldDefinitions(o.getFieldDefinitions().stream().map(FederatedSubgraph::bare).toList()));
            case InterfaceTypeDefinition i -> i.transform(b -> b.directives(List.of())
                    .definitions(i.getFieldDefinitions().stream().map(FederatedSubgraph::bare).toList()));
            case UnionTypeDefinition u -> u.transform(b -> b.directives(List.of()));
            case EnumTypeDefinition e -> e.transform(b -> b.directives(List.of()).enumValueDefinitions(
                    e.getEnumValueDefinitions().stream().map(v -> v.transform(vb -> vb.directives(List.of()))).toList()));
            case InputObjectTypeDefinition in -> in.transform(b -> b.directives(List.of()).inputValueDefinitions(
                    in.getInputValueDefinitions().stream().map(FederatedSubgraph::bare).toList()));
            case ScalarTypeDefinition s -> s.transform(b -> b.directives(List.of()));
            default -> definition;
        };
    }

    private static FieldDefinition bare(FieldDefinition f) {
        return f.transform(b -> b.directives(List.of())
                .inputValueDefinitions(f.getInputValueDefinitions().stream().map(FederatedSubgraph::bare).toList()));
    }

    private static InputValueDefinition bare(InputValueDefinition v) {
        return v.transform(b -> b.directives(List.of()));
    }

    /** {@code _Any}: representations pass through as the JSON objects they are. */
    private static final GraphQLScalarType ANY = GraphQLScalarType.newScalar().name("_Any")
            .coercing(new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object dataFetcherResult) {
                    return dataFetcherResult;
                }

                @Override
                public Object parseValue(Object input) {
                    return input;
                }

                @Override
                public Object parseLiteral(Object input) {
                    return literal(input);
                }
            }).build();

    private static Object literal(Object input) {
        return switch (input) {
            case graphql.language.StringValue s -> s.getValue();
            case graphql.language.IntValue i -> i.getValue();
            case graphql.language.FloatValue f -> f.getValue();
            case graphql.language.BooleanValue b -> b.isValue();
            case graphql.language.ObjectValue o -> {
                Map<String, Object> map = new LinkedHashMap<>();
                o.getObjectFields().forEach(f -> map.put(f.getName(), literal(f.getValue())));
                yield map;
            }
            case graphql.language.ArrayValue a -> a.getValues().stream().map(FederatedSubgraph::literal).toList();
            default -> null;
        };
    }
}

package io.atrium.router.plan;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.validation.Validator;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The query planner on operations the fuzzer builds from the API schema of real supergraphs (the demo shop and
 * fixtures with abstract types, @requires and @provides): fields, aliases, inline fragments on possible types,
 * @skip/@include, nesting to depth 6. Every operation that validates must be planned or refused with a
 * {@link PlanningException} — never another exception, a hang or an out-of-memory error.
 */
class PlannerFuzz {
    private static final List<Supergraph> SUPERGRAPHS = load("demo/benchmark-query.yaml",
            "abstract/union-members-common-to-candidate-subgraphs.yaml", "requires/same-field-different-arguments-separate-requests.yaml",
            "keys/field-reached-through-parent-entity.yaml", "interface-object/interface-without-implementations-fails-planning.yaml");

    private static List<Supergraph> load(String... fixtures) {
        try {
            java.util.ArrayList<Supergraph> supergraphs = new java.util.ArrayList<>();
            for (String fixture : fixtures) {
                Path file = Path.of("src/test/resources/fixtures", fixture);
                if (Files.exists(file)) {
                    Map<String, Object> yaml = new Yaml().load(Files.readString(file));
                    supergraphs.add(SupergraphReader.read((String) yaml.get("supergraph")));
                }
            }
            return List.copyOf(supergraphs);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void everyValidOperationIsPlannedOrRefusedCleanly(FuzzedDataProvider data) {
        Supergraph supergraph = SUPERGRAPHS.get(data.consumeInt(0, SUPERGRAPHS.size() - 1));
        GraphQLObjectType root = data.consumeInt(0, 4) == 0 && supergraph.apiSchema().getMutationType() != null
                ? supergraph.apiSchema().getMutationType() : supergraph.apiSchema().getQueryType();
        StringBuilder query = new StringBuilder(root == supergraph.apiSchema().getMutationType() ? "mutation " : "query ");
        query.append("Q ");
        selection(supergraph, root, data, 0, query);
        Document document;
        try {
            document = Parser.parse(query.toString());
        } catch (RuntimeException notParsable) {
            return;
        }
        if (!new Validator().validateDocument(supergraph.apiSchema(), document, Locale.ROOT).isEmpty()) {
            return;
        }
        try {
            QueryPlanner.plan(supergraph, document, "Q", Set.of());
        } catch (PlanningException refused) {
            // a clear refusal (e.g. a field no subgraph can reach from here): fine
        }
    }

    private static void selection(Supergraph supergraph, GraphQLType type, FuzzedDataProvider data, int depth,
                                  StringBuilder out) {
        out.append("{ ");
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            if (type instanceof GraphQLUnionType union || data.consumeInt(0, 5) == 0 && !(type instanceof GraphQLObjectType)) {
                List<GraphQLObjectType> possible = type instanceof GraphQLUnionType u
                        ? u.getTypes().stream().map(GraphQLObjectType.class::cast).toList()
                        : supergraph.apiSchema().getImplementations((graphql.schema.GraphQLInterfaceType) type);
                out.append("__typename ");
                if (!possible.isEmpty()) {
                    GraphQLObjectType member = possible.get(data.consumeInt(0, possible.size() - 1));
                    out.append("... on ").append(member.getName()).append(' ');
                    selection(supergraph, member, data, depth + 1, out);
                }
                continue;
            }
            List<GraphQLFieldDefinition> fields = ((GraphQLFieldsContainer) type).getFieldDefinitions();
            GraphQLFieldDefinition field = fields.get(data.consumeInt(0, fields.size() - 1));
            if (data.consumeBoolean()) {
                out.append("a").append(data.consumeInt(0, 3)).append(": ");
            }
            out.append(field.getName());
            arguments(field, data, out);
            if (data.consumeInt(0, 6) == 0) {
                out.append(data.consumeBoolean() ? " @skip(if: " : " @include(if: ").append(data.consumeBoolean()).append(')');
            }
            GraphQLOutputType fieldType = (GraphQLOutputType) GraphQLTypeUtil.unwrapAll(field.getType());
            if (!(fieldType instanceof GraphQLScalarType) && !(fieldType instanceof GraphQLEnumType)) {
                if (depth >= 6) {
                    out.append(" { __typename }");
                } else {
                    out.append(' ');
                    selection(supergraph, (GraphQLNamedOutputType) fieldType, data, depth + 1, out);
                }
            }
            out.append(' ');
        }
        out.append("} ");
    }

    private static void arguments(GraphQLFieldDefinition field, FuzzedDataProvider data, StringBuilder out) {
        StringBuilder args = new StringBuilder();
        for (GraphQLArgument argument : field.getArguments()) {
            boolean required = argument.getType() instanceof GraphQLNonNull;
            if (!required && data.consumeBoolean()) {
                continue;
            }
            String value = literal(argument.getType(), data);
            if (value == null) {
                continue;
            }
            args.append(args.isEmpty() ? "" : ", ").append(argument.getName()).append(": ").append(value);
        }
        if (!args.isEmpty()) {
            out.append('(').append(args).append(')');
        }
    }

    private static String literal(GraphQLInputType type, FuzzedDataProvider data) {
        GraphQLType named = GraphQLTypeUtil.unwrapAll(type);
        String value = switch (named) {
            case GraphQLScalarType scalar when scalar.getName().equals("Int") -> Integer.toString(data.consumeInt(-2, 100));
            case GraphQLScalarType scalar when scalar.getName().equals("Float") -> "1.5";
            case GraphQLScalarType scalar when scalar.getName().equals("Boolean") -> Boolean.toString(data.consumeBoolean());
            case GraphQLScalarType ignored -> "\"" + data.consumeAsciiString(8).replace("\\", "").replace("\"", "") + "\"";
            case GraphQLEnumType enumType -> enumType.getValues().getFirst().getName();
            default -> null;
        };
        return value != null && GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(type)) ? "[" + value + "]" : value;
    }
}

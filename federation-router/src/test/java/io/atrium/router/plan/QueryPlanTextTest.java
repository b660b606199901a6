package io.atrium.router.plan;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.parser.Parser;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Planning is a pure function: same inputs, same plan text; no server involved. */
class QueryPlanTextTest {
    @SuppressWarnings("unchecked")
    private static Supergraph demo() throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        return SupergraphReader.read((String) fixture.get("supergraph"));
    }

    @Test
    void planIsDeterministicAndPrintsFlattenPaths() throws Exception {
        Supergraph supergraph = demo();
        var document = Parser.parse("{ topProducts { name inStock shippingEstimate } }");
        QueryPlan first = QueryPlanner.plan(supergraph, document, null, Set.of());
        QueryPlan second = QueryPlanner.plan(supergraph, document, null, Set.of());
        assertThat(first.toText()).isEqualTo(second.toText());
        assertThat(first.toText()).isEqualTo("""
                QueryPlan {
                  Sequence {
                    Fetch(service: "products") {
                      {
                        topProducts {
                          name
                          __typename
                          upc
                          price
                          weight
                        }
                      }
                    },
                    Flatten(path: "topProducts.@") {
                      Fetch(service: "inventory") {
                        {
                          ... on Product {
                            __typename
                            upc
                            price
                            weight
                          }
                        } =>
                        {
                          ... on Product {
                            inStock
                            shippingEstimate
                          }
                        }
                      },
                    },
                  }
                }""");
    }

    @Test
    void entityFetchOperationDeclaresRepresentations() throws Exception {
        QueryPlan plan = QueryPlanner.plan(demo(), Parser.parse("query Q { me { reviews { body } } }"), "Q", Set.of());
        PlanNode.Sequence sequence = (PlanNode.Sequence) plan.root();
        PlanNode.Fetch fetch = (PlanNode.Fetch) ((PlanNode.Flatten) sequence.nodes().get(1)).node();
        assertThat(fetch.operation()).isEqualTo("query Q__reviews__1($representations: [_Any!]!)"
                + "{_entities(representations: $representations) {... on User {reviews {body}}}}");
    }

    @Test
    void externalKeyFieldsAreReturnedByTheSubgraphThatReferencesTheEntity() {
        String sdl = """
                schema @link(url: "https://specs.apollo.dev/link/v1.0")
                  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
                directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
                directive @join__graph(name: String!, url: String!) on ENUM_VALUE
                directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
                directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
                scalar join__FieldSet
                scalar link__Import
                enum link__Purpose { SECURITY EXECUTION }
                enum join__Graph {
                  A @join__graph(name: "a", url: "http://a")
                  B @join__graph(name: "b", url: "http://b")
                }
                type Query @join__type(graph: A) @join__type(graph: B) {
                  fromB: [Item] @join__field(graph: B)
                }
                type Item @join__type(graph: A, key: "id") @join__type(graph: B, key: "id", extension: true) {
                  id: ID! @join__field(graph: A) @join__field(graph: B, external: true)
                  name: String @join__field(graph: A)
                }
                """;
        QueryPlan plan = QueryPlanner.plan(SupergraphReader.read(sdl), Parser.parse("{ fromB { name } }"), null, Set.of());
        assertThat(plan.toText()).contains("Fetch(service: \"b\")", "Flatten(path: \"fromB.@\")",
                "Fetch(service: \"a\")");
    }
}
